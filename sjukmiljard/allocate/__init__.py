"""The money, knowing nothing of Excel: shares of the pots per län, the payment rules, controlled
rounding to whole kronor and the payout."""
