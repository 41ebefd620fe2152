"""Flask-Mail on erlen: messages sent from a view to a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from compat_helpers import SMTPServer
from flask import Flask
from flask import render_template_string
from flask import request
from flask_mail import Mail
from flask_mail import Message


def create_app(server: SMTPServer) -> tuple[Flask, Mail]:
    app = Flask(__name__)
    app.config.update(
        MAIL_SERVER=server.host,
        MAIL_PORT=server.port,
        MAIL_USE_TLS=False,
        MAIL_USE_SSL=False,
        MAIL_DEFAULT_SENDER=("Erlen App", "app@example.org"),
    )
    mail = Mail(app)

    @app.post("/welcome")
    def welcome() -> str:
        name = request.form["name"]
        message = Message(
            subject=f"Welcome {name}",
            recipients=[request.form["to"]],
            body=f"Hello {name}",
            html=render_template_string("<p>Hello <b>{{ name }}</b></p>", name=name),
        )
        message.attach("notes.txt", "text/plain", b"attached notes")
        mail.send(message)
        return "sent"

    return app, mail


def test_send_from_a_view(smtp_server: SMTPServer) -> None:
    app, _ = create_app(smtp_server)
    response = app.test_client().post("/welcome", data={"name": "Ada", "to": "ada@example.org"})
    assert response.data == b"sent"
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "Welcome Ada"
    assert message["From"] == "Erlen App <app@example.org>"
    assert message["To"] == "ada@example.org"
    body = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert body is not None and body.get_content().strip() == "Hello Ada"
    assert html is not None and "<b>Ada</b>" in html.get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "notes.txt"
    assert attachment.get_content() == "attached notes"


def test_bulk_send_and_record(smtp_server: SMTPServer) -> None:
    app, mail = create_app(smtp_server)
    with app.app_context(), mail.record_messages() as outbox:
        with mail.connect() as conn:
            for i in range(3):
                conn.send(Message(f"Bulk {i}", recipients=[f"u{i}@example.org"], body="x"))
        assert [m.subject for m in outbox] == ["Bulk 0", "Bulk 1", "Bulk 2"]
    received = smtp_server.wait_for(3)
    assert sorted(m["Subject"] for m in received) == ["Bulk 0", "Bulk 1", "Bulk 2"]


def test_suppressed_when_testing(smtp_server: SMTPServer) -> None:
    app, mail = create_app(smtp_server)
    app.config["TESTING"] = True
    mail.init_app(app)  # MAIL_SUPPRESS_SEND follows TESTING
    with app.app_context(), mail.record_messages() as outbox:
        mail.send_message("Quiet", recipients=["q@example.org"], body="x")
    assert len(outbox) == 1
    assert smtp_server.messages == []
