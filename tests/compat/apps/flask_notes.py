"""A Flask application with Flask-SQLAlchemy and Flask-Login, written for Flask.

Configured from FLASK_* environment variables (FLASK_SECRET_KEY,
FLASK_SQLALCHEMY_DATABASE_URI), as Flask's from_prefixed_env() reads them.
"""

from flask import Flask
from flask import abort
from flask import jsonify
from flask import request
from flask_login import LoginManager
from flask_login import UserMixin
from flask_login import current_user
from flask_login import login_required
from flask_login import login_user
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
login_manager = LoginManager()


class User(UserMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), unique=True, nullable=False)


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    text = db.Column(db.String(200), nullable=False)


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id))


def create_app():
    app = Flask(__name__)
    app.config.from_prefixed_env()
    db.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        db.create_all()

    @app.post("/login")
    def login():
        name = request.form["name"]
        user = db.session.scalar(db.select(User).filter_by(name=name))
        if user is None:
            user = User(name=name)
            db.session.add(user)
            db.session.commit()
        login_user(user, remember=True)
        return {"user": user.name}

    @app.post("/notes")
    @login_required
    def add_note():
        note = Note(user_id=current_user.id, text=request.get_json()["text"])
        db.session.add(note)
        db.session.commit()
        return {"id": note.id}, 201

    @app.get("/notes")
    @login_required
    def notes():
        rows = db.session.scalars(db.select(Note).filter_by(user_id=current_user.id))
        return jsonify([n.text for n in rows])

    @app.get("/notes/<int:note_id>")
    @login_required
    def note(note_id):
        found = db.get_or_404(Note, note_id)
        if found.user_id != current_user.id:
            abort(403)
        return {"text": found.text}

    return app
