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

#: The opening paragraph of each post, so no two posts start alike.
LEADS = {
    "Writing tests that explain themselves": "Last month a new colleague fixed a bug in our billing code on her second day. She said she never opened the module: the tests told her what it was supposed to do. That is the bar I want every test file to clear.",
    "Fixtures that stay small": "Our test suite had a fixture called `everything`. It created users, a shop, three products, a discount and a half-finished order, and every test used it. Nobody knew which parts mattered, so nobody dared change it.",
    "Property-based testing found a bug I had for years": "I had a date-range parser in production for four years. Hypothesis broke it in eleven seconds with a range that crossed a daylight-saving change. Here is how that went, and why I now reach for properties first.",
    "Parametrize everything (almost)": "When three tests differ only in their inputs, they are one test with a table. `pytest.mark.parametrize` turns copy-paste into data, and data is easy to review.",
    "What EXPLAIN ANALYZE taught me about our slowest page": "Our archive page was the slowest thing on the site, and everyone had a theory: the ORM, the template, the network. None of them was right, and one command proved it.",
    "Indexes are a promise, not a wish": "Adding an index feels like a fix. Sometimes it is. Sometimes the planner ignores it, and sometimes it slows down every write for a query that runs once a day.",
    "Migrations without downtime": "Renaming a column is one line of SQL and, done naively, a few minutes of errors for every user. The trick is to split one change into several deploys that each keep old and new code working.",
    "Counting rows is harder than it looks": "`SELECT count(*)` on a big PostgreSQL table reads every visible row. For a dashboard that refreshes every minute that adds up, and an estimate is often good enough.",
    "A readable measure: why 70 characters": "I widened a blog layout to fill a big monitor once. The text looked impressive and nobody finished reading it. Line length is the cheapest readability win there is.",
    "Dark mode with one media query": "Dark mode does not need a toggle, a cookie or a second stylesheet. The reader already chose a theme for their whole system; the page can simply follow it.",
    "Grid for layouts, flexbox for components": "I used to build page layouts with flexbox and a pile of wrapper divs. CSS Grid made most of those wrappers disappear, and flexbox went back to what it is great at: a row of things.",
    "System fonts are good enough": "This blog uses no web fonts. Pages render with the first byte of CSS, text never flashes, and on every platform it looks like it belongs there.",
    "Focus styles are not optional": "Try this: unplug your mouse and use your favourite web app for five minutes. If you cannot tell where you are on the page, neither can the people who browse this way every day.",
    "Alt text: describing images for people": "Alt text is not a caption and not a keyword list. It is what you would say about the image if you were reading the page aloud to a friend.",
    "Forms that tell you what went wrong": "“Invalid input” at the top of a long form is a small insult. Good forms say which field, what was wrong, and how to fix it, right where the reader is looking.",
    "A systemd unit for a small web app": "You have one small web app and one server. Before reaching for containers and orchestration, look at what the init system already gives you.",
    "Reading logs with journalctl": "Logs scattered across files in `/var/log` used to be my least favourite part of debugging. The journal puts them in one place, with filters that actually work.",
    "Backups you have actually restored": "Everyone has backups. Fewer people have restores. The difference shows up on the worst day of the year, which is the wrong day to find out.",
    "Tuning a server with two cores": "Two cores and a few gigabytes of memory run more traffic than most side projects will ever see, as long as you do not configure them like a big machine.",
    "Content Security Policy in practice": "A Content Security Policy is the seatbelt of web security: it does nothing until the day something goes wrong, and then it decides how bad that day is.",
    "Passwords: hash them slowly": "If your user table leaks tomorrow, the only thing standing between the attacker and your users' other accounts is how you stored their passwords.",
    "CSRF tokens explained with a bank transfer": "You are logged in to your bank in one tab. In another tab, a page you never meant to trust submits a transfer form. Your browser helpfully attaches your cookies.",
    "Never trust the Referer header": "The Referer header is optional, often stripped, sometimes rewritten, and always under the client's control. It is a hint, never a security boundary.",
    "Rate limiting login attempts": "A login form without a limit is an invitation to guess. Slowing down repeated failures costs real users nothing and makes guessing impractical.",
    "Application factories and why they help tests": "A module-level app object is convenient until the first test needs a different database. An application factory is a function that builds the app on demand.",
    "Blueprints as the seams of an app": "Every app grows. Blueprints decide where it grows: each feature gets its own views, templates and error handlers, and the seams between them stay visible.",
    "Request context, explained on a napkin": "`request` looks like a global, yet two requests served at the same time each see their own. The trick behind it fits on a napkin.",
    "Serving the same app over WSGI and ASGI": "The same application object can run under a classic WSGI server or an ASGI one. The views do not change; only the front door does.",
    "My git aliases after ten years": "Every few years I clean out my git config. Each time, the list gets shorter and the surviving aliases get more boring.",
    "Make is still a fine task runner": "Our project has a `Makefile` with five targets. New contributors run `make test` without reading anything else, and that is the whole point.",
    "Editor settings I no longer change": "I used to spend an evening a month tweaking my editor. Then I stopped, and I have not missed it.",
    "Notes in plain text": "I have tried six note-taking apps. The notes that survived every migration were the plain-text ones.",
    "Reproducible dev environments with a script": "“Works on my machine” usually means “I installed something by hand two years ago”. A setup script in the repository turns that into a command anyone can run.",
    "Code review is a conversation": "The best review I ever received had more questions than instructions. I changed more code because of it than because of any list of demands.",
    "Writing a design doc nobody has to read twice": "A design doc is read in a hurry, often by someone deciding whether to approve it. Structure it for that reader, not for the one who wrote it.",
    "The first week on a new codebase": "Starting on a large codebase feels like arriving in a city without a map. These are the streets I walk first.",
    "Estimating without lying": "An estimate is a forecast, not a promise. Saying how sure you are is as important as the number itself.",
    "Profiling before optimising": "I was sure the slow part was the JSON encoding. The profiler said it was a regular expression compiled on every call. The profiler was right.",
    "The cost of a function call": "In CPython a function call costs tens of nanoseconds. That is nothing, until a request makes three hundred of them that it does not need.",
    "Caching: the two hard things, again": "Adding a cache is easy. Knowing when its contents are wrong is the hard part, and it is worth deciding before the first line of code.",
    "Measuring latency with percentiles": "Our average response time was 40 ms and users still complained. The 99th percentile was 1.8 seconds, and that is the number they were living with.",
    "Learning Rust as a Python developer": "I spent a month writing small command-line tools in Rust after ten years of Python. The first week was humbling; the fourth was fun.",
    "Ownership, by analogy": "Ownership is like lending a book. You can lend it to many readers at once, or to one person who writes in the margins, but not both at the same time.",
    "Error handling with Result": "In Python, any line may raise. In Rust, a function that can fail says so in its signature, and the compiler makes sure you noticed.",
    "A little JavaScript goes a long way": "This site ships about thirty lines of JavaScript. It works without them; they only make a few things nicer.",
    "Progressive enhancement for forms": "Build the form so it works with plain HTML first: a real `<form>`, a real submit button, errors rendered by the server. Then, and only then, add the clever bits.",
    "Debouncing input without a library": "A search box that queries the server on every keystroke is busy and jittery. A debounce waits until the typing pauses.",
    "CSV is a format, unfortunately": "Every data project I have worked on started with a CSV file and a surprise inside it.",
    "Window functions for running totals": "For years I computed running totals in application code, looping over rows. One `OVER` clause does it in the database, correctly and fast.",
    "Dates and time zones in a database": "Twice a year, a scheduled job of ours ran either twice or not at all. Daylight saving time was the culprit both times.",
}

CLOSINGS = [
    "None of this is new, but writing it down helped me apply it consistently. If you have a different approach, I would like to hear about it in the comments.",
    "The short version: measure, change one thing, measure again. Everything else is detail, and the details depend on your project.",
    "I will come back to this topic in a later post with a larger example. For now, try it on something small and see how it feels.",
    "Thanks to everyone who reviewed a draft of this post and pointed out where I was hand-waving.",
    "It is a small habit, but small habits compound. A year from now the codebase will be noticeably easier to work in.",
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


def _body(
    rng: random.Random, index: int, title: str, topic: tuple[list[str], str, list[str], list[str], str, str, list[str]]
) -> str:
    tags, _, _, paragraphs, language, code, items = topic
    order = paragraphs[:]
    rng.shuffle(order)
    headings = rng.sample(HEADINGS, 3)
    parts = [LEADS[title], order[0], f"## {headings[0]}", order[1]]
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
    parts.append(f"## {headings[2]}")
    parts.append(rng.choice(CLOSINGS))
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
        post.set_body(_body(rng, index, title, topic))
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
