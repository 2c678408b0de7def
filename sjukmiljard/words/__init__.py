"""The domain's words: the 21 län, the national bodies, the labels the sheets use, and Swedish numbers
and dates."""
