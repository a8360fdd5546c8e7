"""Unit conversions, named so that no bare number stands in a formula."""

PERCENT = 100  # a rate stored as 20 means 20 / PERCENT = 0.2
AMOUNT_UNIT_ZH = "万元"
AMOUNT_UNIT_EN = "10k CNY (万元)"
