import click

from erlen import Erlen, g, redirect, render_template_string, request, session, url_for, websocket


def create_app(test_config=None):
    app = Erlen(__name__)
    app.config.from_mapping(SECRET_KEY="dev", GREETING="Hello")
    if test_config:
        app.config.update(test_config)

    @app.get("/")
    def index():
        g.visitor = session.get("user", "stranger")
        return render_template_string("<p>{{ greeting }}, {{ g.visitor }}!</p>", greeting=app.config["GREETING"])

    @app.post("/login")
    def login():
        session["user"] = request.form["user"]
        return redirect(url_for("index"))

    @app.post("/api/sum")
    def total():
        numbers = request.get_json()["numbers"]
        return {"sum": sum(numbers)}

    @app.websocket("/ws/echo")
    async def echo():
        async for message in websocket:
            await websocket.send(f"echo: {message}")

    @app.cli.command("greet")
    @click.argument("name")
    def greet(name):
        """Print the configured greeting."""
        click.echo(f"{app.config['GREETING']}, {name}!")

    return app
