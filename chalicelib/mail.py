"""The SES adapter: one way to send a desk email, plain text with optional HTML and inline PNG images."""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib import aws


@dataclass(frozen=True)
class InlineImage:
    content_id: str      # referenced from the HTML as <img src="cid:CONTENT_ID">
    png: bytes


def build_message(sender: str, to: list[str], subject: str, text: str, html: str | None = None,
                  images: tuple[InlineImage, ...] = ()) -> bytes:
    """MIME bytes: multipart/alternative (text, html), the HTML wrapped with its images in multipart/related."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, ", ".join(to), subject
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
        html_part = message.get_payload()[1]
        for image in images:
            html_part.add_related(image.png, maintype="image", subtype="png", cid=f"<{image.content_id}>")
    return message.as_bytes()


class Mailer:
    def __init__(self, sender: str, ses=None):
        self.sender = sender
        self._ses = ses

    @property
    def ses(self):
        return self._ses or aws.client("ses")

    def send(self, to: list[str], subject: str, text: str, html: str | None = None,
             images: tuple[InlineImage, ...] = ()) -> str:
        raw = build_message(self.sender, to, subject, text, html, images)
        response = self.ses.send_raw_email(Source=self.sender, Destinations=to, RawMessage={"Data": raw})
        return response["MessageId"]
