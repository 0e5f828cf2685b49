# frozen_string_literal: true

# Shared by every test: the real daemon as a child process, a rackup child running this
# handler, and a closing "N passed, N failed" line.
CLIENT_ROOT = File.expand_path("..", __dir__)
REPO_ROOT = File.expand_path("..", CLIENT_ROOT)
$LOAD_PATH.unshift(File.join(CLIENT_ROOT, "lib"))

require "minitest/autorun"
require "net/http"
require "tmpdir"
require "fileutils"
require "timeout"
require "socket"
require "msglite"

# The daemon jar, started on OS-chosen ports; its stdout lines tell where it listens.
class Daemon
  JAR = File.join(REPO_ROOT, "server", "target", "msglite-server.jar")
  START_SECONDS = 60

  attr_reader :tcp, :unix, :http_port, :metrics_port, :dir

  def self.start(*flags)
    new(flags).tap(&:start)
  end

  def initialize(flags)
    @flags = flags
    @dir = Dir.mktmpdir("msglite-ruby-test")
  end

  def start
    raise "daemon jar missing: #{JAR} (build it: mvn -q -DskipTests -pl server package)" unless File.file?(JAR)

    @unix = File.join(@dir, "msglite.socket")
    out_r, out_w = IO.pipe
    @pid = Process.spawn("java", "-jar", JAR, "-network", "tcp", "-address", "127.0.0.1:0",
                         "-listen", "unix:#{@unix}", "-http-address", "127.0.0.1:0",
                         "-monitor-address", "", *(@flags.include?("-metrics-address") ? [] : ["-metrics-address", ""]), *@flags,
                         out: out_w, err: File.join(@dir, "daemon.err"))
    out_w.close
    read_listeners(out_r)
    # Keep draining stdout so the daemon never blocks on a full pipe.
    @drain = Thread.new do
      out_r.each_line { nil }
    rescue IOError
      nil
    ensure
      out_r.close
    end
  end

  def http_url(path)
    URI("http://127.0.0.1:#{@http_port}#{path}")
  end

  # A per-address figure from the metrics (started with -metrics-address), or -1. The daemon
  # takes the figures on its loop thread when asked, so they are current and consistent.
  def address_metric(name, address)
    text = Net::HTTP.get(URI("http://127.0.0.1:#{@metrics_port}/metrics"))
    text[/^#{Regexp.escape(name)}\{address="#{Regexp.escape(address)}"\} (\d+)$/, 1]&.to_i || -1
  end

  def stop
    terminate
  ensure
    FileUtils.rm_rf(@dir)
  end

  # A new daemon process on the same Unix socket path (new TCP and HTTP ports).
  def restart
    terminate
    @tcp = @http_port = @metrics_port = @unix_seen = nil
    start
  end

  private

  def terminate
    Process.kill("TERM", @pid)
    Process.wait(@pid)
    @drain&.join(5)
  rescue Errno::ESRCH, Errno::ECHILD
    nil
  end

  def read_listeners(out)
    Timeout.timeout(START_SECONDS) do
      until @tcp && @http_port && @unix_seen && (@metrics_port || !@flags.include?("-metrics-address"))
        line = out.gets or raise "daemon exited: #{File.read(File.join(@dir, 'daemon.err'))}"
        if (m = %r{metrics on http://127\.0\.0\.1:(\d+)/}.match(line))
          @metrics_port = Integer(m[1])
        elsif (m = /HTTP proxy listening on 127\.0\.0\.1:(\d+)/.match(line))
          @http_port = Integer(m[1])
        elsif (m = /listening on (127\.0\.0\.1:\d+) \(tcp\)/.match(line))
          @tcp = m[1]
        elsif line.include?("(unix)")
          @unix_seen = true
        end
      end
    end
  end
end

# `rackup -s msglite` as a real child process, with this checkout's lib on its load path.
class RackupProcess
  RACKUP = "/usr/bin/rackup"

  attr_reader :pid, :log

  def initialize(config, daemon, *args, env: {})
    @log = File.join(daemon.dir, "rackup-#{object_id}.log")
    @pid = Process.spawn(env, "/usr/bin/ruby", RACKUP, "-I", File.join(CLIENT_ROOT, "lib"), "-s", "msglite",
                         "-O", "connect=#{daemon.unix}", *args, config,
                         out: @log, err: [:child, :out], chdir: CLIENT_ROOT)
  end

  def signal(sig)
    Process.kill(sig, @pid)
  end

  # Waits for a stop; returns the exit status. Fails the test rather than hang.
  def wait(seconds = 30)
    Timeout.timeout(seconds) { Process.wait2(@pid)[1] }
  end

  def stop
    signal("TERM")
    wait
  rescue Errno::ESRCH, Errno::ECHILD
    nil
  end

  def output
    File.exist?(@log) ? File.read(@log) : ""
  end
end

module HttpHelpers
  RawResponse = Struct.new(:status, :headers, :body) do
    def [](name)
      headers.select { |n, _| n.casecmp?(name) }.map(&:last)
    end
  end

  # One request written byte for byte (repeated headers, chunked bodies), "Connection: close",
  # and the whole response read until the proxy closes; chunked bodies are decoded.
  def raw_http(daemon, request_line, headers = [], body = "")
    parse_raw(raw_bytes(daemon, request_line, headers, body))
  end

  # Everything the proxy sends until it closes the connection, unparsed.
  def raw_bytes(daemon, request_line, headers = [], body = "")
    head = ([request_line, "Host: 127.0.0.1:#{daemon.http_port}", "Connection: close"] + headers).join("\r\n")
    Timeout.timeout(30) do
      TCPSocket.open("127.0.0.1", daemon.http_port) do |s|
        s.write("#{head}\r\n\r\n", body)
        s.read.b
      end
    end
  end

  def parse_raw(data)
    head, body = data.split("\r\n\r\n", 2)
    status_line, *lines = head.split("\r\n")
    headers = lines.map { |l| l.split(": ", 2) }
    response = RawResponse.new(Integer(status_line.split[1]), headers, body.to_s)
    response.body = dechunk(response.body) if response["Transfer-Encoding"].include?("chunked")
    response
  end

  def dechunk(data)
    out = "".b
    until data.empty?
      size_line, data = data.split("\r\n", 2)
      size = Integer(size_line, 16)
      break if size.zero?

      out << data.byteslice(0, size)
      data = data.byteslice(size + 2..)
    end
    out
  end

  def http(daemon, method, path, body: nil, headers: {}, &block)
    uri = daemon.http_url(path)
    Net::HTTP.start(uri.host, uri.port, read_timeout: 30) do |h|
      request = Net::HTTPGenericRequest.new(method, !body.nil?, method != "HEAD", uri.request_uri, headers)
      request.body = body if body
      h.request(request, &block)
    end
  end
end

# The closing line CI reads in any language: "N passed, N failed".
module Minitest
  class PassFailReporter < StatisticsReporter
    def report
      super
      io.puts("#{count - failures - errors - skips} passed, #{failures + errors} failed#{", #{skips} skipped" if skips.positive?}")
    end
  end

  def self.plugin_msglite_init(options)
    reporter << PassFailReporter.new(options[:io], options)
  end
end
Minitest.extensions << "msglite"
