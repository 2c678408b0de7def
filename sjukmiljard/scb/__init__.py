"""SCB's population files: the file formats SCB offers (xlsx, CSV/text, PC-Axis, JSON-stat2), the table
layout found in them, the labels of regions and months, and the population they give."""
