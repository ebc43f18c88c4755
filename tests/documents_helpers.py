"""Reading PDFs the way a person and a scanner would: text, page images, embedded fonts."""

import io
import re
import subprocess

import pypdf
import zxingcpp
from fontTools.ttLib import TTFont
from PIL import Image


def pdf_text(pdf):
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")


def page_image(pdf, page=1, dpi=150):
    png = subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    return Image.open(io.BytesIO(png))


def certificate_codes(pdf, page=1):
    """The two-dimensional codes a scanner reads on a page. A certificate carries one QR code
    and no linear barcode; zxing-cpp 3 tries every symbology by default, and its linear readers
    (DataBar, DX film edge, several without a check digit) can take a dashed rule or a line of
    text for bars, so only the matrix symbologies are asked for: a second QR code, or any other
    two-dimensional code, still shows."""
    return zxingcpp.read_barcodes(page_image(pdf, page), formats=zxingcpp.BarcodeFormat.AllMatrix)


def _glyph_ids(descriptor):
    """The glyph ids the embedded font program really has, without 0 (.notdef, the empty box)."""
    stream = next(descriptor[key] for key in ("/FontFile3", "/FontFile2", "/FontFile") if key in descriptor)
    program = TTFont(io.BytesIO(stream.get_object().get_data()))
    return set(range(1, len(program.getGlyphOrder())))


def embedded_fonts(pdf):
    """{font name: characters it draws with a glyph its embedded program has}, read from each
    font's ToUnicode map. A character shaped to .notdef, or to a glyph the font does not have,
    is tofu and is not counted."""
    fonts = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            glyphs = _glyph_ids(descendant["/FontDescriptor"].get_object())
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            chars = fonts.setdefault(str(font["/BaseFont"]), set())
            for section in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for glyph, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", section):
                    if int(glyph, 16) in glyphs:
                        chars.update(bytes.fromhex(text).decode("utf-16-be", errors="replace"))
    return fonts


def uncovered_characters(pdf):
    """Characters of the PDF's text that no embedded font draws with a real glyph (tofu)."""
    covered = set().union(*embedded_fonts(pdf).values())
    return {c for c in pdf_text(pdf) if not c.isspace() and c not in covered}
