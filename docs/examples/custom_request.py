from erlen import Erlen, Request, request


class SmallFormRequest(Request):
    # Forms with more parts than this are refused with 413.
    max_form_parts = 50


app = Erlen(__name__)
app.request_class = SmallFormRequest


@app.post("/survey")
def survey():
    return {"answers": len(request.form)}
