"""The demo consultation's easy-read version and documents: eight rows of easy-read text, each with a
flat, high-contrast pictogram drawn here with Pillow, a short PDF proposal (written by hand: the demo
needs no PDF library) and the questions as plain text. Safe to run again: everything is looked up by
title, files by their fixed names, and nothing is added twice."""

import math
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from . import services
from .models import ConsultationDocument, ConsultationPage, EasyReadPage
from .wording import estimated_minutes

COLLECTION = "Demo"
INK = (11, 12, 12)  # GOV.UK text colour on white: contrast 19.7:1
BLUE = (29, 112, 184)
YELLOW = (255, 221, 0)
WHITE = (255, 255, 255)
SIZE = 480  # drawn at twice this and scaled down, for smooth edges


# --- Pictograms ----------------------------------------------------------------------------------
# Each draws on a 960 x 960 canvas: flat shapes, thick outlines, no words (the row's text says it).


def _person(draw, x, y, scale, colour):
    r = 55 * scale
    draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    top = y + r + 15 * scale
    draw.rounded_rectangle((x - 80 * scale, top, x + 80 * scale, top + 230 * scale), 60 * scale, fill=colour)


def _family(draw):
    _person(draw, 300, 260, 1.15, BLUE)
    _person(draw, 660, 260, 1.15, INK)
    _person(draw, 480, 520, 0.75, BLUE)


def _question(draw):
    draw.rounded_rectangle((140, 140, 820, 640), 80, fill=BLUE)
    draw.polygon([(300, 620), (260, 820), (460, 630)], fill=BLUE)
    # A question mark in thick strokes.
    draw.arc((370, 230, 590, 450), 190, 90, fill=WHITE, width=55)
    draw.line((480, 445, 480, 500), fill=WHITE, width=55)
    draw.ellipse((450, 540, 510, 600), fill=WHITE)


def _phone(draw):
    draw.rounded_rectangle((300, 100, 660, 860), 60, fill=INK)
    draw.rectangle((340, 190, 620, 740), fill=WHITE)
    draw.ellipse((450, 770, 510, 830), fill=WHITE)
    # A message bubble on the screen.
    draw.rounded_rectangle((370, 300, 590, 470), 40, fill=BLUE)
    draw.polygon([(400, 460), (380, 540), (470, 465)], fill=BLUE)


def _clock(draw):
    draw.ellipse((160, 160, 800, 800), fill=WHITE, outline=INK, width=50)
    for angle in range(12):
        inner, outer = (250, 285) if angle % 3 else (230, 285)
        draw.line(_radial(angle * 30, inner, outer), fill=INK, width=24)
    draw.line((480, 480, 480, 290), fill=INK, width=40)  # five minutes past twelve: a short time
    draw.line(_radial(30, 0, 220), fill=BLUE, width=40)
    draw.ellipse((450, 450, 510, 510), fill=INK)


def _radial(degrees, inner, outer):
    radians = math.radians(degrees - 90)
    return (
        480 + inner * math.cos(radians),
        480 + inner * math.sin(radians),
        480 + outer * math.cos(radians),
        480 + outer * math.sin(radians),
    )


def _padlock(draw):
    draw.arc((290, 140, 670, 520), 180, 360, fill=INK, width=70)
    draw.line((325, 330, 325, 430), fill=INK, width=70)
    draw.line((635, 330, 635, 430), fill=INK, width=70)
    draw.rounded_rectangle((220, 410, 740, 840), 50, fill=BLUE)
    draw.ellipse((435, 540, 525, 630), fill=WHITE)
    draw.rectangle((460, 600, 500, 730), fill=WHITE)


def _helper(draw):
    _person(draw, 330, 330, 1.1, INK)
    _person(draw, 650, 330, 1.1, BLUE)
    # One reaches out to the other's shoulder.
    draw.line((400, 500, 560, 440), fill=INK, width=50)
    draw.rectangle((120, 760, 840, 800), fill=INK)


def _megaphone(draw):
    draw.polygon([(200, 380), (620, 190), (620, 770), (200, 580)], fill=BLUE)
    draw.rectangle((110, 370, 220, 590), fill=INK)
    draw.rounded_rectangle((250, 580, 340, 790), 30, fill=INK)
    for offset in (0, 80):
        draw.arc((560 - offset, 330 - offset, 780 + offset, 630 + offset), -40, 40, fill=INK, width=30)


def _tick(draw):
    draw.rounded_rectangle((190, 120, 770, 840), 40, fill=WHITE, outline=INK, width=40)
    for top in (250, 440, 630):
        draw.line((420, top + 40, 680, top + 40), fill=INK, width=30)
        draw.line((270, top + 40, 310, top + 80, 380, top), fill=BLUE, width=40, joint="curve")


PICTOGRAMS = {
    # name: (drawing, the image's description)
    "family": (_family, "Two adults and a child standing together"),
    "question": (_question, "A speech bubble with a question mark in it"),
    "phone": (_phone, "A mobile phone with a message on its screen"),
    "clock": (_clock, "A clock showing a few minutes past twelve"),
    "padlock": (_padlock, "A locked padlock"),
    "helper": (_helper, "Two people, one reaching out to help the other"),
    "megaphone": (_megaphone, "A megaphone making a loud sound"),
    "tick": (_tick, "A list with a tick next to each line"),
}


def pictogram_png(name: str) -> bytes:
    """The named pictogram as a PNG, the same bytes every time."""
    drawing, _description = PICTOGRAMS[name]
    canvas = PillowImage.new("RGB", (SIZE * 2, SIZE * 2), WHITE)
    drawing(ImageDraw.Draw(canvas))
    buffer = BytesIO()
    canvas.resize((SIZE, SIZE), PillowImage.Resampling.LANCZOS).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


# --- Documents -----------------------------------------------------------------------------------

PROPOSAL_LINES = [
    ("title", "Support for parents and carers in Kent"),
    (
        "subtitle",
        "What we propose. An example paper made for the Parent Voice demo; not a real council paper.",
    ),
    ("heading", "1. What parents told us"),
    (
        "text",
        "Help is hard to find, and most of it is in working hours. Fathers often feel it is not for them.",
    ),
    ("heading", "2. What we propose"),
    ("text", "- A parent support worker in every district, reachable by phone, text message and email."),
    ("text", "- Parenting groups in the evenings and on Saturdays, with a creche."),
    ("text", "- One web page and one phone number that list all local support for families."),
    ("text", "- Groups for fathers in four districts, run with local partners."),
    ("heading", "3. How we will decide"),
    (
        "text",
        "We will read every answer to this consultation, whether it came by web, text message or paper.",
    ),
    ("text", "A summary goes to the Kent Children's Trust board. We will publish what we decide to do"),
    ("text", "in 'You said, we did' on this website, and tell everyone who asked to hear back."),
    ("heading", "4. Timetable"),
    (
        "text",
        "The consultation is open for four weeks. We publish the summary within eight weeks of it closing.",
    ),
]
FONT_SIZES = {"title": 18, "subtitle": 10, "heading": 13, "text": 11}


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def proposal_pdf() -> bytes:
    """A one-page A4 PDF of PROPOSAL_LINES in Helvetica: a real PDF any reader opens, built by hand."""
    stream = ["BT", "56 780 Td"]
    previous = None
    for kind, text in PROPOSAL_LINES:
        size = FONT_SIZES[kind]
        gap = 0 if previous is None else (24 if kind == "heading" else 16 if previous == "title" else 15)
        font = "/F2" if kind in ("title", "heading") else "/F1"
        stream.append(f"0 -{gap} Td {font} {size} Tf ({_pdf_text(text)}) Tj")
        previous = kind
    stream.append("ET")
    content = "\n".join(stream).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (Support for parents and carers in Kent: what we propose) /Producer (Parent Voice demo) >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    pdf += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    pdf += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n".encode()
    pdf += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(pdf)


def questions_text(page: ConsultationPage) -> bytes:
    """The consultation's questions as plain text, for people who like to read them before starting."""
    lines = [
        page.title,
        "",
        "The questions in this consultation. You can skip any question marked (optional).",
        "",
    ]
    number = 0
    for block in page.questions.raw_data:
        value = block["value"]
        if block["type"] == "section":
            lines += [value["heading"].upper(), ""]
            continue
        number += 1
        optional = "" if value.get("required", True) else " (optional)"
        lines.append(f"{number}. {value['label']}{optional}")
        if value.get("hint"):
            lines.append(f"   {value['hint']}")
        for choice in value.get("choices") or []:
            lines.append(f"   - {choice['label']}")
        if block["type"] == "scale":
            lines.append(f"   From 1 ({value.get('low_label', '')}) to 5 ({value.get('high_label', '')})")
        lines.append("")
    return "\n".join(lines).encode("utf-8")


# --- Loading -------------------------------------------------------------------------------------

EASY_READ_TITLE = "Easy read: support for parents and carers in Kent"
EASY_READ_ROWS = [
    ("heading", "What is this about?"),
    ("family", "We want to help mums, dads and carers in Kent.\nWe want to make help easier to find."),
    ("question", "We want to know what help you need.\nWe are asking parents some questions."),
    ("heading", "How to answer"),
    ("phone", "You can answer on a phone or a computer.\nOr send a text with the word SUPPORT."),
    ("clock", "It takes about {minutes} minutes.\nYou can skip any question."),
    ("padlock", "We keep your answers safe.\nWe never put your name on the website."),
    ("helper", "You can ask someone you trust to help you answer."),
    ("heading", "What happens next"),
    ("megaphone", "We will tell everyone what parents said."),
    ("tick", "We will say what we are going to change.\nLook for 'You said, we did' on this website."),
]


def _collection() -> Collection:
    # A database emptied after a migration (browser tests flush theirs) has no root collection.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return root.get_children().filter(name=COLLECTION).first() or root.add_child(name=COLLECTION)


def _stored(folder: str, name: str, content: bytes) -> str:
    """The file's storage path: saved once under a fixed name, reused after that (same bytes)."""
    path = f"{folder}/{name}"
    if default_storage.exists(path):
        return path
    return default_storage.save(path, ContentFile(content))


def _image(name: str, collection: Collection):
    Image = get_image_model()
    title = f"Easy read: {name}"
    image = Image.objects.filter(title=title, collection=collection).first()
    if image is None:
        content = pictogram_png(name)
        image = Image(
            title=title,
            description=PICTOGRAMS[name][1],
            collection=collection,
            file=_stored("original_images", f"demo-easy-read-{name}.png", content),
            width=SIZE,
            height=SIZE,
        )
        image._set_image_file_metadata()  # its size and hash, as the admin's upload stores them
        image.file.close()
        image.save()
    return image


def _document(title: str, filename: str, content: bytes, collection: Collection):
    Document = get_document_model()
    document = Document.objects.filter(title=title, collection=collection).first()
    if document is None:
        document = Document(
            title=title,
            collection=collection,
            file=_stored("documents", filename, content),
        )
        document._set_document_file_metadata()
        document.file.close()
        document.save()
    return document


def load_easy_read_demo(page: ConsultationPage, say) -> None:
    collection = _collection()
    added = []
    if not EasyReadPage.objects.child_of(page).exists():
        # The same estimate as the intro gives, so the two versions agree.
        minutes = estimated_minutes(services.schema_for(page))
        body = []
        for kind, template in EASY_READ_ROWS:
            text = template.format(minutes=minutes)
            if kind == "heading":
                body.append({"type": "heading", "value": text})
                continue
            image = _image(kind, collection)
            body.append(
                {
                    "type": "row",
                    "value": {"image": image.pk, "image_description": PICTOGRAMS[kind][1], "text": text},
                }
            )
        easy_read = EasyReadPage(title=EASY_READ_TITLE, slug="easy-read", body=body)
        page.add_child(instance=easy_read)
        easy_read.save_revision().publish()
        added.append("an easy-read version with pictures")
    if not page.documents.exists():
        proposal = _document(
            "Full proposal", "demo-support-for-parents-proposal.pdf", proposal_pdf(), collection
        )
        questions = _document(
            "Support for parents: the questions",
            "demo-support-for-parents-questions.txt",
            questions_text(page),
            collection,
        )
        # Through a revision, so the editor's next edit (which starts from the latest revision) keeps them.
        editable = page.get_latest_revision_as_object()
        editable.documents = [
            ConsultationDocument(document=proposal, title="Full proposal"),
            ConsultationDocument(document=questions, title="The questions, to read before you start"),
        ]
        editable.save_revision().publish()
        added.append("two documents")
    if added:
        say(f"the main consultation's {' and '.join(added)}")
