# frozen_string_literal: true

# A bare Rack app under Rack::Lint, for lint_test.rb. Run with one worker, so /closes counts
# every body this process has closed.
require "json"
require "rack/lint"

CLOSED = [0]

# A body that is not an Array: the handler must stream it piece by piece and close it.
class PieceBody
  def initialize(pieces, fail_after_first: false)
    @pieces = pieces
    @fail = fail_after_first
  end

  def each
    @pieces.each_with_index do |piece, i|
      raise "failure while streaming" if @fail && i == 1

      yield piece
    end
  end

  def close
    CLOSED[0] += 1
  end
end

ENV_KEYS = %w[REQUEST_METHOD SCRIPT_NAME PATH_INFO QUERY_STRING SERVER_NAME SERVER_PORT SERVER_PROTOCOL
              REMOTE_ADDR CONTENT_TYPE CONTENT_LENGTH HTTP_HOST HTTP_COOKIE HTTP_X_TEST HTTP_TRANSFER_ENCODING
              rack.url_scheme rack.multithread rack.multiprocess rack.run_once rack.hijack? rack.version].freeze

app = lambda do |env|
  text = ->(body, status = 200) { [status, { "Content-Type" => "text/plain" }, [body]] }
  case env["PATH_INFO"]
  when "/env"
    text.(JSON.generate(env.slice(*ENV_KEYS).merge("body" => env["rack.input"].read)))
  when "/echo"
    input = env["rack.input"]
    first = input.read(5).to_s
    input.rewind
    [200, { "Content-Type" => "application/octet-stream" }, [input.read, "|#{first.bytesize}"]]
  when "/stream" then [200, { "Content-Type" => "text/plain" }, PieceBody.new(["a", "", "b", "c"])]
  when "/broken-stream" then [200, { "Content-Type" => "text/plain" }, PieceBody.new(%w[a b c], fail_after_first: true)]
  when "/raise" then raise "app failure"
  when "/closes" then text.(CLOSED[0].to_s)
  when "/cookies" then [200, { "Content-Type" => "text/plain", "Set-Cookie" => "a=1\nb=2" }, ["two cookies"]]
  when "/no-content" then [204, {}, []]
  when "/errors"
    env["rack.errors"].puts("a line for rack.errors")
    env["rack.errors"].flush
    text.("logged")
  else text.("not found", 404)
  end
end

use Rack::Lint
run app
