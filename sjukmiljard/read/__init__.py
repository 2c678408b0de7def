"""Reading an input workbook: the format adapters (xlsx, ods) behind one grid, the sheet readers
(Befolkning, villkor, Utfall), the units and amounts they recognise, the receipt of every number read,
and the reading of a previous result."""
