"""The Flask app the tests drive through the real proxy (and the benchmark's hello world)."""

import hashlib
import os
import time

from flask import Flask, Response, jsonify, make_response, redirect, request, stream_with_context, url_for

app = Flask(__name__)
# Read once at import: a reload (SIGHUP) shows a changed file, a running worker does not.
VERSION_FILE = os.environ.get("APP_VERSION_FILE")
VERSION = open(VERSION_FILE).read().strip() if VERSION_FILE else "none"


@app.route("/")
def hello():
    return "Hello, World!"


@app.route("/hello/<name>")
def hello_name(name):
    return "Hello, %s!" % name


@app.route("/search")
def search():
    return jsonify(q=request.args.get("q"), page=request.args.get("page", type=int),
                   tags=request.args.getlist("tag"))


@app.route("/form", methods=["POST"])
def form():
    return jsonify(dict(request.form))


@app.route("/json", methods=["POST"])
def json_echo():
    data = request.get_json()
    return jsonify(received=data, method=request.method), 201


@app.route("/cookies")
def cookies():
    response = make_response("two cookies")
    response.set_cookie("first", "1")
    response.set_cookie("second", "2", httponly=True)
    return response


@app.route("/whoami")
def whoami():
    return jsonify(cookies=dict(request.cookies))


@app.route("/go")
def go():
    return redirect(url_for("hello_name", name="redirected"))


@app.route("/stream")
def stream():
    """Yields a first piece, then waits (bounded) for the test to create the gate file: if the
    first piece were held back until the end, the test could not see it and open the gate."""
    gate = request.args["gate"]

    def pieces():
        yield "first\n"
        deadline = time.monotonic() + 20
        while not os.path.exists(gate) and time.monotonic() < deadline:
            time.sleep(0.01)
        yield "last:%s\n" % ("gate opened" if os.path.exists(gate) else "timed out")

    return Response(stream_with_context(pieces()), mimetype="text/plain")


@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    data = f.read()
    return jsonify(name=f.filename, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                   note=request.form.get("note"))


@app.route("/päth/<name>")
def unicode_path(name):
    return "unicode %s" % name


@app.route("/boom")
def boom():
    raise RuntimeError("boom on purpose")


@app.route("/slow/<int:i>")
def slow(i):
    time.sleep(float(request.args.get("s", "0.3")))
    return jsonify(i=i, pid=os.getpid(), version=VERSION)


@app.route("/pid")
def pid():
    return jsonify(pid=os.getpid(), version=VERSION)
