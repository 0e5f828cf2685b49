# frozen_string_literal: true

require "digest/md5" # loaded now: Digest's lazy loading of MD5 races when threads first use it together

# The app of prefetch_test.rb, served both by a Worker forked in the test and by rackup
# (test/apps/prefetch.ru). TEST_DIR is a scratch directory shared with the test for flag files.
module PrefetchApp
  # A body that produces its second piece only once the test has received the first.
  class Stream
    def initialize(flag)
      @flag = flag
    end

    def each
      yield "first\n"
      deadline = Time.now + 10
      sleep 0.01 until File.exist?(@flag) || Time.now > deadline
      yield(File.exist?(@flag) ? "second\n" : "timed out\n")
    end
  end

  def self.call(env)
    dir = ENV.fetch("TEST_DIR")
    case env["PATH_INFO"]
    when %r{\A/n/(\d+)\z} then text("n=#{Regexp.last_match(1)} pid=#{Process.pid}")
    when %r{\A/post/(\d+)\z}
      body = env["rack.input"].read
      text("n=#{Regexp.last_match(1)} read=#{body.bytesize} md5=#{Digest::MD5.hexdigest(body)}")
    when "/hold" # keeps the worker busy until the test creates the release file (or kills it)
      File.write(File.join(dir, "held.pid"), Process.pid.to_s)
      File.write(File.join(dir, "held"), "")
      sleep 0.02 until File.exist?(File.join(dir, "release"))
      text("held pid=#{Process.pid}")
    when "/stream" then [200, { "Content-Type" => "text/plain" }, Stream.new(File.join(dir, "stream"))]
    else [404, { "Content-Type" => "text/plain" }, ["no such path"]]
    end
  end

  def self.text(body)
    [200, { "Content-Type" => "text/plain", "Content-Length" => body.bytesize.to_s }, [body]]
  end
end
