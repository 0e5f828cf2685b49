# frozen_string_literal: true

require_relative "test_helper"
require "msglite/worker"

# What a crash costs (README, "Crashes"): a pool worker is killed with SIGKILL while it serves
# one request and holds the prefetch - 1 it took with it, with more requests queued. The
# requests it held, and only those, get the proxy's 504 once -http-reply-timeout has passed;
# the queued ones are served by the worker the pool starts in its place.
class CrashTest < Minitest::Test
  include HttpHelpers

  REPLY_TIMEOUT = 2

  def setup
    @daemon = Daemon.start("-http-reply-timeout", REPLY_TIMEOUT.to_s, "-metrics-address", "127.0.0.1:0")
  end

  def teardown
    @rackup&.stop
    @daemon.stop
  end

  def request_metric(name)
    @daemon.address_metric(name, "msglite.httpRequests")
  end

  def wait_for(what, seconds = 30)
    Timeout.timeout(seconds, Minitest::Assertion, "timed out waiting for #{what}") { sleep 0.01 until yield }
  end

  def test_a_killed_worker_loses_the_requests_it_held_and_no_others
    k = Msglite::Worker::DEFAULT_PREFETCH
    results = Queue.new
    # Queued before the pool starts: the worker's ready takes /hold, its polls the next k - 1.
    hold = Thread.new { http(@daemon, "GET", "/hold").code }
    wait_for("/hold to be queued") { request_metric("msglite_address_sent_total") == 1 }
    threads = (1..20).map { |n| Thread.new { r = http(@daemon, "GET", "/n/#{n}"); results << [n, r.code, r.body] } }
    wait_for("all to be queued") { request_metric("msglite_address_sent_total") == 21 }
    @rackup = RackupProcess.new(File.join(CLIENT_ROOT, "test/apps/prefetch.ru"), @daemon, "-E", "none",
                                "-O", "workers=1", env: { "TEST_DIR" => @daemon.dir })
    wait_for("the worker to hold #{k} requests") do
      File.exist?(File.join(@daemon.dir, "held")) && request_metric("msglite_address_queued_messages") == 21 - k
    end
    victim = Integer(File.read(File.join(@daemon.dir, "held.pid")))
    Process.kill("KILL", victim)
    killed_at = Process.clock_gettime(Process::CLOCK_MONOTONIC)

    assert_equal "504", hold.value, "the request in hand gets 504"
    threads.each { |t| t.join(30) }
    answers = Array.new(results.size) { results.pop }
    lost = answers.select { |_, code, _| code == "504" }
    served = answers - lost
    assert_equal k - 1, lost.size, "the #{k - 1} taken with it get 504 too, and no others: #{answers}"
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - killed_at, :>=, REPLY_TIMEOUT - 0.5,
                    "the 504s come at the reply timeout"
    pids = served.map { |n, code, body| [code, body[/\An=#{n} pid=(\d+)\z/, 1]] }
    assert_equal 21 - k, pids.size
    assert pids.all? { |code, pid| code == "200" && pid && Integer(pid) != victim }, "served by the new worker: #{pids}"
  end
end
