"""Scans (image PDFs, PNG/JPEG/TIFF, text-layer pages whose text is garbage) → the same cell
grid as every other reader, by OCR (the optional extra ``jixiao[ocr]``).

The chain, one small module a step:

1. ``pages``: the input's pages as grey images at 200 dpi (pypdfium2 for PDF, Pillow for
   images, every frame of a multi-page TIFF), bounded in pages and pixels;
2. ``orient``: quarter turns (90°/180°/270°, from the shape and the recognition score of the
   detected text lines) and skew (the angle that makes the rows' ink sharpest) undone;
3. ``rules``: the ruling-line grid found with OpenCV: rows and columns, merged cells, a grid
   left open at the page's bottom (or top) closed;
4. ``cells``: each cell's text recognised (``recognise_cells``: one crop a cell, or the
   faster ``recognise_lines``: one detection of the page, its boxes cut at the column rules,
   each piece recognised), with its score;
5. ``no_rules``: a page without ruling lines read by full-page OCR, its text boxes clustered
   into rows and columns;
6. ``reader``: the pages' tables stitched over page breaks (the text-layer reader's stitching)
   into ``RawTable``\\ s whose cells carry page, box (points, on the upright page) and score.
"""
