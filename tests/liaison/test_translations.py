from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_chinese_string_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled = {entry.msgid: entry.msgstr for entry in mo if not entry.msgid_plural}
    source = {
        entry.msgid: entry.msgstr for entry in po.translated_entries() if not entry.msgid_plural
    }
    assert compiled == source


def test_chinese_is_the_default_and_english_the_second_language():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    with translation.override("zh-hans"):
        assert translation.gettext("liaison station") == "代表联络站"
    with translation.override("en"):
        assert translation.gettext("liaison station") == "liaison station"


def test_pages_are_chinese_even_when_the_browser_asks_for_english(client, db):
    response = client.get("/stations/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "联络站目录" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_the_language_switch_is_remembered(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/stations/"})
    assert "Station directory" in client.get("/stations/").content.decode()
