"""Read a PDF's text back (poppler's pdftotext), so tests check what a reader sees."""
import subprocess


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF"), "not a PDF"
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                            check=True)
    return result.stdout.decode("utf-8")
