"""The demo loader: its parts in the order the data depends on them, in one transaction."""

from django.db import transaction

from representatives.models import Representative
from stations.models import Station

from .handling import HandlingLoader
from .network import NetworkLoader
from .receptions import ReceptionsLoader
from .suggestions import SuggestionsLoader


class DemoLoader(NetworkLoader, HandlingLoader, SuggestionsLoader, ReceptionsLoader):
    """Loads the whole demo; `created` counts what this run made, by model."""

    def load(self) -> None:
        with transaction.atomic():
            zhongduo, representative = self.load_zhongduo()
            xingfu = self.load_xingfu()
            self.load_users(zhongduo, xingfu, representative)
            self.load_handling(zhongduo, xingfu, representative)
            self.load_receptions(zhongduo, xingfu, representative)

    def load_handling(
        self, zhongduo: Station, xingfu: Station, representative: Representative
    ) -> None:
        departments = self.load_departments(zhongduo, xingfu)
        self.load_reply_templates()
        self.load_suggestions(zhongduo, representative, departments)
