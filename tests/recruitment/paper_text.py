"""Reading a generated paper back as text: the PDF through pypdf, the DOCX from its XML."""
import html
import re
import zipfile
from io import BytesIO

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def docx_text(content: bytes) -> str:
    with zipfile.ZipFile(BytesIO(content)) as z:
        xml = z.read("word/document.xml").decode()
    xml = re.sub(r"</w:p>", " ", xml)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", xml)).split())
