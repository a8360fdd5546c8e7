"""Unit conversions, named so that no bare number stands in a formula."""

PERCENT = 100  # a rate stored as 20 means 20 / PERCENT = 0.2
AMOUNT_STEP = 0.01  # the smallest amount step in 万元 (100 yuan), used for "more than X" hints
