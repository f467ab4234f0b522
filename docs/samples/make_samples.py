"""Make the sample pictures used by docs/walkthrough-proxy-filing.md, with Pillow.

    .venv/bin/python docs/samples/make_samples.py

They are drawings, not photographs of anyone's papers: a card-shaped picture
marked SAMPLE for each ID photo, and a few pen strokes for the pledge signature.
The ID-card sample carries an EXIF orientation, a GPS position and a comment, as
a phone photo would, so that the walkthrough can show them gone from what the
server stores. Each file is well under 100 KB.
"""

from __future__ import annotations

from pathlib import Path

from PIL import ExifTags, Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent


def _card(title: str, colour: tuple[int, int, int]) -> Image.Image:
    """An 856x540 card (ID-1 size, 85.6 x 54 mm at 10 px/mm)."""
    img = Image.new("RGB", (856, 540), (238, 236, 226))
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=44)
    small = ImageFont.load_default(size=28)
    draw.rounded_rectangle((8, 8, 847, 531), radius=28, outline=colour, width=8)
    draw.rectangle((40, 110, 300, 450), fill=colour)
    draw.text((40, 30), title, fill=(30, 30, 30), font=font)
    for i, y in enumerate(range(140, 440, 60)):
        draw.text((340, y - 20), f"SAMPLE {i + 1}", fill=(60, 60, 60), font=small)
        draw.line([(520, y), (800, y)], fill=(90, 90, 90), width=6)
    draw.text((330, 470), "NOT A REAL DOCUMENT", fill=(180, 30, 30), font=small)
    return img


def agent_id_card() -> None:
    """Saved as a phone saves a picture taken with the phone turned: pixels
    sideways, EXIF orientation 6 (turn 90° clockwise to view), plus GPS."""
    upright = _card("AGENT ID CARD", (40, 90, 160))
    sideways = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SamplePhone"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (37.0, 52.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (112.0, 33.0, 36.0),
    }
    sideways.save(HERE / "agent-id-card.jpg", "JPEG", quality=80, exif=exif, comment=b"taken at home")


def insured_hukou() -> None:
    _card("INSURED HUKOU PAGE", (150, 40, 40)).save(HERE / "insured-hukou.jpg", "JPEG", quality=80)


def signature() -> None:
    """A few strokes on a transparent 600x200 pad, like the mini-program's."""
    img = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    ink = (20, 20, 60, 255)
    draw.line([(40, 140), (90, 40), (120, 150), (170, 60), (210, 130)], fill=ink, width=5)
    draw.line([(240, 120), (300, 70), (340, 120), (400, 50)], fill=ink, width=4)
    draw.arc((420, 50, 540, 160), start=30, end=320, fill=ink, width=5)
    img.save(HERE / "signature.png", "PNG")


if __name__ == "__main__":
    agent_id_card()
    insured_hukou()
    signature()
