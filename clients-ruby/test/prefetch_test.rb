# frozen_string_literal: true

require_relative "test_helper"
require "json"
require "digest/md5" # loaded now: Digest's lazy loading of MD5 races when threads first use it together
require "msglite/worker"
require_relative "apps/prefetch_app"

# A worker keeps several readies outstanding (the prefetch option): queued requests reach it
# several to a read, each is answered on its own reply address, request bodies are fetched on
# the reply connection, streamed pieces still leave one by one, and a TERM with requests queued
# and readies outstanding loses none. Envelopes are sent by hand where the test must control
# what is queued; the rest goes through the real proxy. (What a crash costs: crash_test.rb.)
class PrefetchTest < Minitest::Test
  include HttpHelpers

  def setup
    @daemon = Daemon.start("-metrics-address", "127.0.0.1:0") # metrics: see the TERM test
    ENV["TEST_DIR"] = @daemon.dir
    @client = Msglite::Client.new(@daemon.unix)
    @seq = 0
    @original_ids = []
    @workers = []
  end

  def teardown
    @workers.each { |pid| stop_worker(pid) }
    @client.quit
    @daemon.stop
  end

  def flag(name)
    File.join(@daemon.dir, name)
  end

  # Counts the socket reads of the process's clients (Ruby reads sockets with recvfrom, which
  # /proc/PID/io does not count). GET /reads answers with the count.
  module CountReads
    COUNT = [0]

    private

    def fill(deadline)
      COUNT[0] += 1
      super
    end
  end

  # A Worker in a child process, as rackup's pool runs it (nil: the default prefetch).
  def start_worker(prefetch = nil)
    pid = fork do
      $stderr.reopen(File.join(@daemon.dir, "worker.log"), "a")
      Msglite::Wire::Reader.prepend(CountReads)
      app = ->(env) { env["PATH_INFO"] == "/reads" ? PrefetchApp.text(CountReads::COUNT[0].to_s) : PrefetchApp.call(env) }
      requests = Msglite::Client.new(@daemon.unix)
      replies = Msglite::Client.new(@daemon.unix)
      worker = Msglite::Worker.new(app, requests, replies, "msglite.httpRequests",
                                   prefetch: prefetch || Msglite::Worker::DEFAULT_PREFETCH)
      trap("TERM") { worker.stop! }
      worker.run
      replies.quit
      requests.quit
      exit!(0)
    end
    @workers << pid
    pid
  end

  def stop_worker(pid)
    Process.kill("TERM", pid)
    status = Timeout.timeout(30) { Process.wait2(pid)[1] }
    @workers.delete(pid)
    status
  rescue Errno::ESRCH, Errno::ECHILD
    nil
  end

  def wait_for(what, seconds = 10)
    Timeout.timeout(seconds, Minitest::Assertion, "timed out waiting for #{what}") { sleep 0.01 until yield }
  end

  # The worker's socket reads so far.
  def reads
    Integer(response(envelope("GET", "/reads"))[/\A200 (\d+)\z/, 1])
  end

  # Queues one envelope as the proxy would (the body first); returns its reply address.
  # +original+: without bodyLength, as the original proxy sent it.
  def envelope(method, path, body = nil, original: false)
    id = @seq += 1
    e = { method: method, url: path, path: path, query: "", protocol: "HTTP/1.1",
          headers: { "Host" => "x" }.merge(body ? { "Content-Length" => body.bytesize.to_s } : {}),
          bodyAddr: "ruby.prefetch.body.#{id}" }
    original ? @original_ids << id : e[:bodyLength] = body ? body.bytesize : 0
    @client.send(body || "", 60, e[:bodyAddr])
    @client.send(JSON.generate(e), 60, "msglite.httpRequests", reply: "ruby.prefetch.reply.#{id}")
    "ruby.prefetch.reply.#{id}"
  end

  # The response sent to a reply address: "STATUS BODY".
  def response(reply)
    head = @client.ready(30, reply) or return "no head"
    body = +""
    while (piece = @client.ready(30, reply))
      return "#{JSON.parse(head.body)[0]} #{body}" if piece.body.empty?

      body << piece.body
    end
    "#{JSON.parse(head.body)[0]} #{body} (not ended)"
  end

  # Holds the worker in /hold, queues 32 GETs and 8 POSTs behind it, releases it and checks
  # every answer. Returns the socket reads the worker made meanwhile.
  def batch(pid, original: false)
    [flag("held"), flag("release")].each { |f| FileUtils.rm_f(f) }
    before = reads
    hold = envelope("GET", "/hold", original: original)
    wait_for("the worker to hold") { File.exist?(flag("held")) }
    want = {}
    replies = (1..40).to_h do |n|
      if (n % 5).nonzero?
        want[n] = "200 n=#{n} pid=#{pid}"
        [n, envelope("GET", "/n/#{n}", original: original)]
      else
        body = Array.new(1000 * n) { |i| ((n * i) % 256).chr }.join.b
        want[n] = "200 n=#{n} read=#{body.bytesize} md5=#{Digest::MD5.hexdigest(body)}"
        [n, envelope("POST", "/post/#{n}", body, original: original)]
      end
    end
    FileUtils.touch(flag("release"))
    assert_equal "200 held pid=#{pid}", response(hold)
    wrong = (1..40).reject { |n| response(replies[n]) == want[n] }
    assert_empty wrong, "each request answered with its own reply"
    reads - before
  end

  def test_prefetch_4_takes_queued_requests_several_to_a_read
    pid = start_worker(4)
    read_calls = batch(pid)
    # 40 requests, 8 with a body read of their own: one read per envelope and per body would be
    # 48; in fours, about 10 for the envelopes.
    assert_operator read_calls, :<, 40, "fewer reads than requests"
    assert stop_worker(pid).success?
  end

  def test_prefetch_1_reads_once_per_request
    pid = start_worker(1)
    assert_operator batch(pid), :>=, 48, "a read per envelope and per body"
    assert stop_worker(pid).success?
  end

  def test_an_original_proxy_envelope_has_its_empty_body_taken_after_the_reply
    pid = start_worker(4)
    batch(pid, original: true)
    left = @original_ids.select { |id| @client.ready(0, "ruby.prefetch.body.#{id}") }
    assert_empty left, "no body message left behind"
    assert stop_worker(pid).success?
  end

  def test_term_at_the_default_prefetch_with_requests_queued_and_readies_outstanding_loses_none
    k = Msglite::Worker::DEFAULT_PREFETCH
    # Queued before the worker starts: its ready takes the first, its polls the next k - 1.
    hold = envelope("GET", "/hold")
    replies = (1..20).to_h { |n| [n, envelope("GET", "/n/#{n}")] }
    old = start_worker
    wait_for("the worker to hold #{k} requests", 30) do
      File.exist?(flag("held")) && request_metric("msglite_address_queued_messages") == 21 - k
    end
    Process.kill("TERM", old)
    FileUtils.touch(flag("release"))
    assert_equal "200 held pid=#{old}", response(hold), "the request in hand is finished"
    assert Timeout.timeout(30) { Process.wait2(old)[1] }.success?, "and the worker exits cleanly"
    @workers.delete(old)
    new = start_worker
    by = Hash.new(0)
    replies.each do |n, reply|
      answer = response(reply)
      m = /\A200 n=#{n} pid=(\d+)\z/.match(answer)
      assert m, "request #{n}: #{answer}"
      by[Integer(m[1])] += 1
    end
    assert_equal({ old => k - 1, new => 21 - k }, by,
                 "the old worker served the #{k - 1} it had taken with the one in hand, the new one the rest")
  end

  def request_metric(name)
    @daemon.address_metric(name, "msglite.httpRequests")
  end

  def test_a_busy_worker_is_handed_no_request_while_another_is_free
    rackup = RackupProcess.new(File.join(CLIENT_ROOT, "test/apps/prefetch.ru"), @daemon, "-E", "none",
                               "-O", "workers=2", env: { "TEST_DIR" => @daemon.dir })
    wait_for("rackup to serve", 30) { (http(@daemon, "GET", "/n/0").code == "200" rescue false) }
    hold = Thread.new { http(@daemon, "GET", "/hold").body }
    wait_for("a worker to hold") { File.exist?(flag("held")) }
    # One at a time: each finds the other worker free. A ready of the busy worker waiting in the
    # line would take every other one, and hold it until the release.
    late = (1..6).reject do |n|
      Timeout.timeout(5) { http(@daemon, "GET", "/n/#{n}").body.match?(/\An=#{n} pid=\d+\z/) }
    rescue Timeout::Error
      false
    end
    assert_empty late, "each answered at once"
    FileUtils.touch(flag("release"))
    assert_match(/\Aheld pid=\d+\z/, hold.value)
  ensure
    FileUtils.touch(flag("release"))
    rackup&.stop
  end

  def test_through_the_proxy_with_two_workers_many_requests_uploads_and_a_stream
    rackup = RackupProcess.new(File.join(CLIENT_ROOT, "test/apps/prefetch.ru"), @daemon, "-E", "none",
                               "-O", "workers=2", "-O", "prefetch=4", env: { "TEST_DIR" => @daemon.dir })
    wait_for("rackup to serve", 30) { (http(@daemon, "GET", "/n/0").code == "200" rescue false) }
    results = Queue.new
    threads = (1..60).map do |n|
      Thread.new do
        if (n % 6).nonzero?
          results << [n, http(@daemon, "GET", "/n/#{n}").body, /\An=#{n} pid=\d+\z/]
        else
          body = "upload #{n} " * (500 * n)
          want = /\An=#{n} read=#{body.bytesize} md5=#{Digest::MD5.hexdigest(body)}\z/
          results << [n, http(@daemon, "POST", "/post/#{n}", body: body).body, want]
        end
      end
    end
    threads.each { |t| t.join(60) }
    assert_equal 60, results.size
    results.size.times do
      n, body, want = results.pop
      assert_match want, body, "request #{n}"
    end
    received = +""
    http(@daemon, "GET", "/stream") do |r|
      r.read_body do |piece|
        received << piece
        FileUtils.touch(flag("stream")) if received.include?("first\n")
      end
    end
    assert_equal "first\nsecond\n", received, "a streamed body still arrives piece by piece"
  ensure
    rackup&.stop
  end
end
