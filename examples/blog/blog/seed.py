"""Deterministic sample data for ``erlen seed-db``.

The same users, posts, tags and comments every time (a fixed random seed and
fixed dates), built from the tables below, with no network access.
"""

from __future__ import annotations

import random
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa

from .extensions import db
from .models import ROLE_ADMIN
from .models import Comment
from .models import Post
from .models import Tag
from .models import User
from .models import get_or_create_tags
from .models import post_tags
from .models import unique_slug

#: Every sample user's password.
SEED_PASSWORD = "blog-demo-pass"
#: The first sample post is published on this date, the others after it.
START = datetime(2025, 1, 6, 8, 30)

USERS = [
    ("admin", "Ines Marlow", ROLE_ADMIN, "Runs this blog. Writes about the web, security and keeping things simple."),
    ("mira", "Mira Okafor", "author", "Python developer. Tests first, coffee second."),
    ("tomas", "Tomás Berg", "author", "Databases, mostly PostgreSQL. Reads query plans for fun."),
    ("leena", "Leena Virtanen", "author", "Front-end developer who cares about CSS, type and accessibility."),
    ("oskar", "Oskar Lind", "author", "Keeps servers boring. Linux, backups and shell scripts."),
    ("yuki", "Yuki Tanaka", "author", "Tools, workflows and the craft of writing software."),
    ("sam", "Sam Rivera", "author", ""),
]

# (tags, author, titles, paragraphs, code language, code sample, list items)
TOPICS: list[tuple[list[str], str, list[str], list[str], str, str, list[str]]] = [
    (
        ["python", "testing"],
        "mira",
        [
            "Writing tests that explain themselves",
            "Fixtures that stay small",
            "Property-based testing found a bug I had for years",
            "Parametrize everything (almost)",
        ],
        [
            "A test is the first place a new colleague looks when they want to know what a function "
            "*really* does. If it reads like a specification, they stay; if it reads like a puzzle, they "
            "go to the source and guess.",
            "The trick is to keep the **arrange** part short. When a test needs thirty lines of set-up, "
            "the set-up is the thing under test, whether we meant it or not.",
            "I now name tests after behaviour, not after functions: `test_expired_token_is_rejected` "
            "says more than `test_verify_3`.",
        ],
        "python",
        'import pytest\n\n\n@pytest.mark.parametrize(\n    ("raw", "expected"),\n    [("3", 3), (" 7 ", 7), ("0", 0)],\n)\ndef test_parse_count(raw: str, expected: int) -> None:\n    assert parse_count(raw) == expected',
        ["One behaviour per test", "Names that read as sentences", "Fixtures composed, not inherited", "No sleeping in tests"],
    ),
    (
        ["postgresql", "databases", "sql"],
        "tomas",
        [
            "What EXPLAIN ANALYZE taught me about our slowest page",
            "Indexes are a promise, not a wish",
            "Migrations without downtime",
            "Counting rows is harder than it looks",
        ],
        [
            "The page took four seconds. The query looked innocent: a join, a filter, an `ORDER BY`. "
            "The plan told a different story: a sequential scan over two million rows, sorted in memory.",
            "An index is only used when the planner believes it helps. Statistics matter as much as the "
            "index itself, so `ANALYZE` after a bulk load is not optional.",
            "Adding a column with a default used to rewrite the whole table. Newer PostgreSQL versions "
            "do not, but a `NOT NULL` constraint on a big table still deserves a plan.",
        ],
        "sql",
        "EXPLAIN (ANALYZE, BUFFERS)\nSELECT p.title, count(c.id)\nFROM posts p\nLEFT JOIN comments c ON c.post_id = p.id\nWHERE p.published\nGROUP BY p.id\nORDER BY p.published_at DESC\nLIMIT 10;",
        ["Measure with real data", "Read the plan bottom-up", "Check row estimates against actual rows", "Index for the queries you run"],
    ),
    (
        ["css", "frontend"],
        "leena",
        [
            "A readable measure: why 70 characters",
            "Dark mode with one media query",
            "Grid for layouts, flexbox for components",
            "System fonts are good enough",
        ],
        [
            "Long lines tire the eye: it has to travel back across the page and find the start of the "
            "next line. Somewhere between 60 and 75 characters is comfortable for most body text.",
            "`prefers-color-scheme` lets the page follow the reader's system setting. With custom "
            "properties the whole theme is a handful of variables.",
            "The system font stack loads instantly, looks native on every platform and has excellent "
            "hinting. A web font has to earn its download.",
        ],
        "css",
        ":root {\n  --bg: #fdfcfb;\n  --fg: #1d1d1f;\n}\n\n@media (prefers-color-scheme: dark) {\n  :root {\n    --bg: #16171a;\n    --fg: #e8e6e3;\n  }\n}\n\nmain {\n  max-width: 70ch;\n  margin-inline: auto;\n}",
        ["Set `max-width` in `ch`", "Use custom properties for colours", "Check contrast in both themes", "Let the user zoom"],
    ),
    (
        ["accessibility", "frontend"],
        "leena",
        [
            "Focus styles are not optional",
            "Alt text: describing images for people",
            "Forms that tell you what went wrong",
        ],
        [
            "Removing the focus outline because it looks untidy makes a site unusable for everyone who "
            "navigates with a keyboard. Style it instead; `:focus-visible` makes that easy.",
            "Good alt text says what the image *means* in its context, not what it contains pixel by "
            "pixel. A decorative image gets an empty `alt`.",
            "An error message belongs next to the field it is about, in words, and linked with "
            "`aria-describedby` so screen readers announce it.",
        ],
        "html",
        '<label for="email">Email</label>\n<input id="email" name="email" type="email"\n       aria-describedby="email-error" aria-invalid="true">\n<p id="email-error" class="error">Enter an address like name@example.com.</p>',
        ["Test with the keyboard only", "Use real labels", "Announce errors", "Respect reduced motion"],
    ),
    (
        ["linux", "devops"],
        "oskar",
        [
            "A systemd unit for a small web app",
            "Reading logs with journalctl",
            "Backups you have actually restored",
            "Tuning a server with two cores",
        ],
        [
            "You do not need an orchestrator for one app on one machine. A systemd unit restarts it, "
            "limits it and collects its logs.",
            "A backup that has never been restored is a hope. Schedule a restore drill the same way you "
            "schedule the backup.",
            "With two cores, the number of worker processes matters more than any configuration flag. "
            "Start with two or three and measure.",
        ],
        "ini",
        "[Unit]\nDescription=Blog\nAfter=network.target\n\n[Service]\nUser=blog\nWorkingDirectory=/srv/blog\nEnvironment=BLOG_CONFIG=production\nExecStart=/srv/blog/.venv/bin/gunicorn -w 3 wsgi:app\nRestart=on-failure\n\n[Install]\nWantedBy=multi-user.target",
        ["Run as an unprivileged user", "Restart on failure", "Log to the journal", "Restore a backup every month"],
    ),
    (
        ["security", "web"],
        "admin",
        [
            "Content Security Policy in practice",
            "Passwords: hash them slowly",
            "CSRF tokens explained with a bank transfer",
            "Never trust the Referer header",
            "Rate limiting login attempts",
        ],
        [
            "A Content Security Policy tells the browser where scripts, styles and images may come from. "
            "Start strict, with `default-src 'self'`, and loosen only what you must.",
            "Password hashes should be *slow* on purpose: scrypt or Argon2 make guessing expensive. A fast "
            "hash such as SHA-256 is the wrong tool.",
            "A forged form on another site can make your browser send a request with your cookies. A "
            "token that only your page knows stops it.",
        ],
        "http",
        "Content-Security-Policy: default-src 'self'; object-src 'none'; frame-ancestors 'none'\nX-Content-Type-Options: nosniff\nReferrer-Policy: strict-origin-when-cross-origin",
        ["Escape output by default", "Sanitise rich text with a whitelist", "Set cookies `Secure` and `HttpOnly`", "Keep secrets out of the repository"],
    ),
    (
        ["python", "web"],
        "admin",
        [
            "Application factories and why they help tests",
            "Blueprints as the seams of an app",
            "Request context, explained on a napkin",
            "Serving the same app over WSGI and ASGI",
        ],
        [
            "An application factory builds a fresh app for each configuration. Tests get an isolated app "
            "with an in-memory database; production gets its settings from the environment.",
            "Blueprints group views, templates and error handlers by feature. The admin area, the API and "
            "the public pages each live in their own module.",
            "During a request, `request`, `session` and `g` point at the current request's objects. "
            "Outside of one they fail loudly, which is a feature.",
        ],
        "python",
        'def create_app(config_name: str) -> Erlen:\n    app = Erlen(__name__)\n    app.config.from_object(CONFIGS[config_name])\n    db.init_app(app)\n    app.register_blueprint(auth_bp)\n    app.register_blueprint(api_bp, url_prefix="/api/v1")\n    return app',
        ["One factory, many configurations", "Extensions initialised in the factory", "Blueprints per feature", "No global app object in tests"],
    ),
    (
        ["tools", "productivity"],
        "yuki",
        [
            "My git aliases after ten years",
            "Make is still a fine task runner",
            "Editor settings I no longer change",
            "Notes in plain text",
            "Reproducible dev environments with a script",
        ],
        [
            "Most of my aliases died young. The ones that survived are short, boring and used fifty times "
            "a day.",
            "A `Makefile` with five phony targets documents how to build, test and run a project better "
            "than a page of prose.",
            "Plain text outlives every note-taking app I have tried. A folder of Markdown files and `grep` "
            "go a long way.",
        ],
        "bash",
        'git config --global alias.st "status --short --branch"\ngit config --global alias.lg "log --oneline --graph --decorate -20"\ngit config --global alias.amend "commit --amend --no-edit"',
        ["`git st` for status", "`git lg` for history", "`git amend` for the typo", "Nothing clever"],
    ),
    (
        ["craft", "writing"],
        "yuki",
        [
            "Code review is a conversation",
            "Writing a design doc nobody has to read twice",
            "The first week on a new codebase",
            "Estimating without lying",
        ],
        [
            "A review comment is a question or a suggestion, rarely an order. Saying *why* turns a nitpick "
            "into something the author can learn from.",
            "A design doc starts with the problem and the constraints. The solution comes third, and the "
            "alternatives you rejected deserve a paragraph each.",
            "In the first week I read tests, run the app, and fix one small bug. Reading all the code "
            "first has never worked for me.",
        ],
        "text",
        "Problem:      what hurts, for whom, how often\nConstraints:  what must stay true\nProposal:     the smallest change that helps\nAlternatives: what else we considered, and why not",
        ["Start with the problem", "Write for the reader in a hurry", "Show the alternatives", "Keep it short"],
    ),
    (
        ["performance", "python"],
        "mira",
        [
            "Profiling before optimising",
            "The cost of a function call",
            "Caching: the two hard things, again",
            "Measuring latency with percentiles",
        ],
        [
            "Every time I guessed where the time went, I was wrong. `cProfile` and a flame graph are "
            "cheaper than a week of optimising the wrong loop.",
            "An average hides the slow requests your users remember. The 99th percentile tells you how "
            "bad a bad day is.",
            "A cache is a copy of the truth with an expiry date. Decide who invalidates it before you "
            "add it.",
        ],
        "python",
        'import cProfile\nimport pstats\n\nwith cProfile.Profile() as profile:\n    handle_request()\n\npstats.Stats(profile).sort_stats("cumulative").print_stats(15)',
        ["Measure first", "Look at percentiles, not averages", "Cache with a plan to invalidate", "Measure again"],
    ),
    (
        ["rust"],
        "sam",
        [
            "Learning Rust as a Python developer",
            "Ownership, by analogy",
            "Error handling with Result",
        ],
        [
            "The compiler is strict, but it explains itself. Most of my first week was reading its "
            "messages carefully, and they were almost always right.",
            "Ownership felt like bureaucracy until I stopped fighting it. Now I miss it when two parts of "
            "a Python program mutate the same list.",
            "`Result` makes failure part of the signature. The `?` operator keeps the happy path readable.",
        ],
        "rust",
        'fn parse_port(raw: &str) -> Result<u16, String> {\n    raw.trim()\n        .parse::<u16>()\n        .map_err(|e| format!("bad port {raw:?}: {e}"))\n}',
        ["Read the compiler's messages", "Clone first, optimise later", "Use `?` generously", "Write small programs"],
    ),
    (
        ["javascript", "frontend"],
        "leena",
        [
            "A little JavaScript goes a long way",
            "Progressive enhancement for forms",
            "Debouncing input without a library",
        ],
        [
            "The server renders the page; JavaScript adds the niceties. When the script fails to load, the "
            "page still works.",
            "A form that posts and redirects works everywhere. Enhancing it with a confirmation dialog or "
            "live validation is a bonus, not a requirement.",
            "A debounce is ten lines. Pulling in a utility library for it costs more than it saves.",
        ],
        "javascript",
        "function debounce(fn, wait) {\n  let timer;\n  return (...args) => {\n    clearTimeout(timer);\n    timer = setTimeout(() => fn(...args), wait);\n  };\n}",
        ["HTML first", "Enhance, do not replace", "No build step for small scripts", "Test with scripts disabled"],
    ),
    (
        ["data", "sql"],
        "tomas",
        [
            "CSV is a format, unfortunately",
            "Window functions for running totals",
            "Dates and time zones in a database",
        ],
        [
            "Quoted fields, embedded newlines, three different encodings in one file: CSV is less a format "
            "than a family of habits.",
            "Window functions compute across rows without collapsing them. Running totals, ranks and moving "
            "averages become one query.",
            "Store timestamps in UTC, convert at the edges, and write down which columns are local times "
            "and why.",
        ],
        "sql",
        "SELECT day,\n       signups,\n       sum(signups) OVER (ORDER BY day) AS running_total\nFROM daily_signups\nORDER BY day;",
        ["Store UTC", "Name the time zone", "Use window functions", "Validate input files"],
    ),
]

HEADINGS = ["The problem", "What I tried", "What worked", "Trade-offs", "In practice", "Why it matters"]
QUOTES = [
    "Make it work, make it right, make it fast.",
    "Simple things should be simple, complex things should be possible.",
    "Programs must be written for people to read, and only incidentally for machines to execute.",
    "The best code is the code you did not have to write.",
]
COMMENTS = [
    "Thanks, this was exactly what I needed today.",
    "Great write-up. Have you tried the same thing on a bigger data set?",
    "I disagree a little: in my experience the **set-up cost** is worth it for large teams.",
    "Bookmarked. The example in the middle made it click for me.",
    "Could you share the configuration you ended up with?",
    "We hit the same problem last year and solved it almost the same way.",
    "Nice! One small typo in the second paragraph, otherwise perfect.",
    "This deserves a follow-up post on the trade-offs.",
    "Clear and to the point. More of these, please.",
    "I tried this and it cut our build time in half. Thank you!",
    "What about Windows? Does the same approach work there?",
    "The list at the end is going on my wall.",
]


def _body(rng: random.Random, index: int, topic: tuple[list[str], str, list[str], list[str], str, str, list[str]]) -> str:
    tags, _, _, paragraphs, language, code, items = topic
    order = paragraphs[:]
    rng.shuffle(order)
    headings = rng.sample(HEADINGS, 2)
    parts = [order[0], f"## {headings[0]}", order[1]]
    kind = index % 4
    if kind == 0:
        parts.append(f"```{language}\n{code}\n```")
    elif kind == 1:
        parts.append("\n".join(f"- {item}" for item in items))
    elif kind == 2:
        parts.append("\n".join(f"{number}. {item}" for number, item in enumerate(items, 1)))
        parts.append(f"```{language}\n{code}\n```")
    else:
        parts.append("> " + rng.choice(QUOTES))
        parts.append(
            "| Step | Why |\n|---|---|\n"
            + "\n".join(f"| {item} | {rng.choice(['it is cheap', 'it catches mistakes early', 'readers notice', 'it saves time later'])} |" for item in items[:3])
        )
    parts.append(f"## {headings[1]}")
    parts.append(order[2])
    parts.append(
        f"More on this in the [{tags[0]} tag](/tags/{tags[0]}), or see "
        f"[the reference](https://example.com/docs/{tags[0]}) for the details."
    )
    return "\n\n".join(parts)


def seed() -> dict[str, int]:
    """Add the sample data to an empty database and commit; returns what was added, counted."""
    rng = random.Random(20250106)
    users: dict[str, User] = {}
    for number, (username, name, role, bio) in enumerate(USERS):
        user = User(
            username=username,
            email=f"{username}@example.com",
            display_name=name,
            role=role,
            bio=bio,
            created_at=START - timedelta(days=60 - number * 3),
        )
        user.set_password(SEED_PASSWORD)
        db.session.add(user)
        users[username] = user
    db.session.flush()

    titles = [(topic, title) for topic in TOPICS for title in topic[2]]
    # Interleave topics so neighbouring posts differ.
    rng.shuffle(titles)
    posts = []
    for index, (topic, title) in enumerate(titles):
        tags = topic[0][:]
        if rng.random() < 0.3:
            tags.append(rng.choice(["beginners", "opinion", "how-to", "notes"]))
        post = Post(title=title, slug=unique_slug(title), views=rng.randint(12, 2400))
        post.author = users[topic[1]]
        post.set_body(_body(rng, index, topic))
        db.session.add(post)
        post.tags = get_or_create_tags(tags)
        created = START + timedelta(days=index * 3, hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
        post.created_at = created
        post.updated_at = created + timedelta(hours=rng.randint(0, 48))
        if index % 10 == 9:
            post.published = False
            post.views = 0
        else:
            post.published = True
            post.published_at = created + timedelta(minutes=rng.randint(5, 120))
        db.session.add(post)
        db.session.flush()
        posts.append(post)

    names = list(users)
    comment_count = 0
    for post in posts:
        if not post.published:
            continue
        for number in range(rng.randint(0, 5)):
            author = users[rng.choice([name for name in names if name != post.author.username])]
            comment = Comment(post=post, author=author)
            comment.set_body(rng.choice(COMMENTS))
            comment.created_at = (post.published_at or post.created_at) + timedelta(hours=3 + number * rng.randint(2, 30))
            comment.approved = rng.random() > 0.15
            db.session.add(comment)
            comment_count += 1
    db.session.commit()
    return {
        "users": len(users),
        "posts": len(posts),
        "drafts": sum(not post.published for post in posts),
        "tags": db.session.scalar(sa.select(sa.func.count(Tag.id))) or 0,
        "comments": comment_count,
    }


def clear() -> None:
    """Delete every row (the schema stays)."""
    db.session.execute(sa.delete(Comment))
    db.session.execute(post_tags.delete())
    db.session.execute(sa.delete(Post))
    db.session.execute(sa.delete(Tag))
    db.session.execute(sa.delete(User))
    db.session.commit()
