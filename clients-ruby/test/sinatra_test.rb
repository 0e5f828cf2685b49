# frozen_string_literal: true

require_relative "test_helper"
require "securerandom"
require "digest/sha2"

# A real Sinatra app (Debian's ruby-sinatra) under Rack::Lint, started with the real
# `rackup -s msglite`, answered through the real proxy.
class SinatraTest < Minitest::Test
  include HttpHelpers

  def self.setup_once
    @setup_once ||= begin
      daemon = Daemon.start
      rackup = RackupProcess.new(File.join(CLIENT_ROOT, "test/apps/sinatra.ru"), daemon, "-E", "none", "-O", "workers=2",
                          env: { "TEST_DIR" => daemon.dir })
      Minitest.after_run do
        rackup.stop
        daemon.stop
      end
      [daemon, rackup]
    end
  end

  def setup
    @daemon, @rackup = self.class.setup_once
  end

  def get(path)
    http(@daemon, "GET", path)
  end

  def test_routing
    assert_equal "home", get("/").body
    assert_equal "Hello, world!", get("/hello/world").body
    assert_equal "404", get("/no/such/route").code
  end

  def test_query_parameters
    assert_equal "q=msg lite page=2", get("/search?q=msg%20lite&page=2").body
  end

  def test_form_post
    r = http(@daemon, "POST", "/form", body: "name=Ada+Lovelace&langs%5B%5D=ruby&langs%5B%5D=c",
                                       headers: { "Content-Type" => "application/x-www-form-urlencoded" })
    assert_equal "name=Ada Lovelace langs=ruby+c", r.body
  end

  def test_two_cookies_are_set_and_sent_back
    cookies = get("/cookies").get_fields("Set-Cookie")
    assert_equal 2, cookies.size
    assert_match(/\Aflavour=oatmeal; path=\//, cookies[0])
    assert_match(/\Asession=abc123; path=\/; HttpOnly\z/i, cookies[1])
    r = raw_http(@daemon, "GET /echo-cookies HTTP/1.1", ["Cookie: flavour=oatmeal", "Cookie: session=abc123"])
    assert_equal "flavour=oatmeal,session=abc123", r.body
  end

  def test_redirect
    r = get("/redirect")
    assert_includes %w[302 303], r.code
    assert_equal "http://127.0.0.1:#{@daemon.http_port}/hello/redirected", r["Location"]
    assert_equal "Hello, redirected!", get(URI(r["Location"]).path).body
  end

  # The app produces its second piece only after the test has received the first.
  def test_streamed_response_arrives_piece_by_piece
    id = SecureRandom.hex(4)
    received = +""
    http(@daemon, "GET", "/stream?id=#{id}") do |response|
      assert_equal "chunked", response["Transfer-Encoding"]
      response.read_body do |piece|
        received << piece
        FileUtils.touch(File.join(@daemon.dir, "release-#{id}")) if received.include?("first\n")
      end
    end
    assert_equal "first\nsecond\n", received
  end

  def test_one_mebibyte_upload
    data = SecureRandom.bytes(1 << 20)
    r = http(@daemon, "POST", "/upload", body: data, headers: { "Content-Type" => "application/octet-stream" })
    assert_equal "#{1 << 20} #{Digest::SHA256.hexdigest(data)}", r.body
  end

  def test_exception_in_a_route_is_500_and_the_app_keeps_serving
    assert_equal "500", get("/boom").code
    assert_includes @rackup.output, "boom from the app"
    assert_equal "home", get("/").body
  end

  def test_head_request
    r = http(@daemon, "HEAD", "/hello/head")
    assert_equal ["200", nil], [r.code, r.body]
    assert_equal "Hello, head!".bytesize.to_s, r["Content-Length"]
  end
end
