"""What every CSV or spreadsheet export shares."""

# A cell a spreadsheet would read as a formula (CSV injection): citizens and admins write these
# texts, so a text that starts like a formula is written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text
