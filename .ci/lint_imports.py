"""Check the layers contract in pyproject.toml with import-linter (`make lint-imports`).

import-linter refuses a root package that does not exist. `demo` and `public` are named in the
contract before every branch has them: their layers are optional (in parentheses), and here a
root package that is not there yet is left out of the run, with a note saying so. When every root
package exists, pyproject.toml is checked as it stands.
"""

import json
import os
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def _toml(table: str, options: dict[str, Any]) -> str:
    # JSON strings, lists and booleans are valid TOML values.
    return "\n".join([table, *(f"{key} = {json.dumps(value)}" for key, value in options.items())])


def main() -> int:
    os.chdir(ROOT)  # import-linter finds the packages from the working directory
    pyproject = ROOT / "pyproject.toml"
    options = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"]
    roots = options["root_packages"]
    missing = [name for name in roots if not (ROOT / name / "__init__.py").is_file()]
    if not missing:
        return lint_imports(config_filename=str(pyproject))
    print(f"Not in this tree yet, left out of the check: {', '.join(missing)}.")
    contracts = options.pop("contracts")
    options["root_packages"] = [name for name in roots if name not in missing]
    sections = [_toml("[tool.importlinter]", options)]
    sections += [_toml("[[tool.importlinter.contracts]]", contract) for contract in contracts]
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "importlinter.toml"
        config.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
        return lint_imports(config_filename=str(config))


if __name__ == "__main__":
    sys.exit(main())
