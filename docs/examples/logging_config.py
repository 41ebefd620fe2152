from logging.config import dictConfig

# Configure logging before the app is created: erlen then sees that a handler
# exists and doesn't add its own.
dictConfig(
    {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "default": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "default",
            },
        },
        "root": {"level": "INFO", "handlers": ["console"]},
    }
)

from erlen import Erlen  # noqa: E402

app = Erlen(__name__)


@app.get("/")
def index():
    app.logger.info("front page served")
    return "ok"
