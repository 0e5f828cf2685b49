# frozen_string_literal: true

# A real Sinatra app for sinatra_test.rb and restart_test.rb. TEST_DIR is a scratch directory
# shared with the test: the stream waits there for a "release" file, and VERSION is read once,
# when this file is loaded (so a HUP that reloads the code shows a new value).
require "sinatra/base"
require "digest/sha2"
require "rack/lint"

TEST_DIR = ENV.fetch("TEST_DIR")
LOADED_VERSION = File.exist?(File.join(TEST_DIR, "VERSION")) ? File.read(File.join(TEST_DIR, "VERSION")).strip : "none"

class TestApp < Sinatra::Base
  set :show_exceptions, false
  set :raise_errors, false

  get("/") { "home" }
  get("/hello/:name") { "Hello, #{params[:name]}!" }
  get("/search") { "q=#{params[:q]} page=#{params[:page]}" }
  post("/form") { "name=#{params[:name]} langs=#{Array(params[:langs]).join('+')}" }

  get "/cookies" do
    response.set_cookie("flavour", value: "oatmeal", path: "/")
    response.set_cookie("session", value: "abc123", path: "/", httponly: true)
    "two cookies"
  end

  get("/echo-cookies") { request.cookies.sort.map { |k, v| "#{k}=#{v}" }.join(",") }
  get("/redirect") { redirect to("/hello/redirected") }

  # The first piece goes out, then the app waits until the test, having read it, creates the
  # release file: the second piece can only exist after the first has reached the client.
  get "/stream" do
    release = File.join(TEST_DIR, "release-#{params[:id]}")
    stream do |out|
      out << "first\n"
      deadline = Time.now + 10
      sleep 0.01 until File.exist?(release) || Time.now > deadline
      out << (File.exist?(release) ? "second\n" : "timed out\n")
    end
  end

  post "/upload" do
    data = request.body.read
    "#{data.bytesize} #{Digest::SHA256.hexdigest(data)}"
  end

  get("/boom") { raise "boom from the app" }
  get("/version") { LOADED_VERSION }

  get "/slow" do
    sleep(params[:ms].to_i / 1000.0)
    "#{params[:id]} #{Process.pid}"
  end
end

# Lint checks every request and response of the suite. Run with `-E none`: rackup's development
# and deployment stacks add Rack 2's ContentLength, which buffers every body (no streaming).
use Rack::Lint
run TestApp
