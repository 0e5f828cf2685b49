# frozen_string_literal: true

require_relative "test_helper"

# Stopping, reloading and killing workers while requests wait: the daemon keeps queued
# requests, so none may be lost. Also rackup's command line: options, help, a bad address.
class RestartTest < Minitest::Test
  include HttpHelpers

  SINATRA = File.join(CLIENT_ROOT, "test/apps/sinatra.ru")

  def setup
    @daemon = Daemon.start
    @rackups = []
  end

  def teardown
    @rackups.each(&:stop)
    @daemon.stop
  end

  def rackup(*args)
    RackupProcess.new(SINATRA, @daemon, "-E", "none", *args, env: { "TEST_DIR" => @daemon.dir }).tap { |r| @rackups << r }
  end

  # Each request in its own thread; results land in +done+ as [id, code, body].
  def fire(ids, ms:, done: Queue.new)
    threads = ids.map do |id|
      Thread.new { r = http(@daemon, "GET", "/slow?ms=#{ms}&id=#{id}"); done << [id, r.code, r.body] }
    end
    [threads, done]
  end

  def test_term_then_restart_while_requests_are_queued_loses_none
    first = rackup("-O", "workers=2")
    threads, done = fire((1..24).to_a, ms: 100)
    answered = [done.pop] # 24 requests of 100 ms on 2 workers: most are still queued now
    first.signal("TERM")
    assert first.wait.success?, first.output
    answered << done.pop until done.empty?
    refute_equal 24, answered.size, "some requests must still be waiting when the workers are gone"
    first_workers = answered.map { |_, _, body| body.split.last }.uniq

    rackup("-O", "workers=2")
    threads.each { |t| t.join(60) }
    answered << done.pop until done.empty?
    assert_equal (1..24).to_a, answered.map(&:first).sort
    answered.each { |id, code, body| assert_equal ["200", id.to_s], [code, body.split.first] }
    later_workers = answered.map { |_, _, body| body.split.last }.uniq - first_workers
    refute_empty later_workers, "the restarted workers answered the requests that waited"
  end

  def test_hup_reloads_the_app_and_loses_no_request
    File.write(File.join(@daemon.dir, "VERSION"), "one")
    server = rackup("-O", "workers=2")
    assert_equal "one", http(@daemon, "GET", "/version").body
    File.write(File.join(@daemon.dir, "VERSION"), "two")

    threads, done = fire((1..10).to_a, ms: 50)
    server.signal("HUP")
    threads.each { |t| t.join(60) }
    assert_equal 10, done.size
    done.size.times { assert_equal "200", done.pop[1] }
    assert_equal "two", http(@daemon, "GET", "/version").body
    assert_equal 1, Process.kill(0, server.pid), "the same process re-executed itself"
    assert_includes server.output, "HUP: re-executing"
  end

  def test_a_killed_worker_is_replaced
    server = rackup("-O", "workers=1")
    victim = Integer(http(@daemon, "GET", "/slow?ms=0&id=1").body.split.last)
    Process.kill("KILL", victim)
    replacement = Integer(http(@daemon, "GET", "/slow?ms=0&id=2").body.split.last)
    refute_equal victim, replacement
    assert_match(/worker 0 \(pid #{victim}\) exited/, server.output)
  end

  def test_workers_reconnect_when_the_daemon_restarts
    server = rackup("-O", "workers=1")
    assert_equal "home", http(@daemon, "GET", "/").body
    @daemon.restart
    assert_equal "home", http(@daemon, "GET", "/").body
    assert_match(/worker 0 \(pid \d+\) exited/, server.output)
  end

  def test_options_from_environment_variables
    server = RackupProcess.new(SINATRA, @daemon, "-E", "none",
                        env: { "TEST_DIR" => @daemon.dir, "MSGLITE_WORKERS" => "3" }).tap { |r| @rackups << r }
    assert_equal "home", http(@daemon, "GET", "/").body
    assert_includes server.output, "3 worker(s) taking requests from msglite.httpRequests"
  end

  def test_an_unreachable_daemon_is_a_clear_error
    bad = RackupProcess.new(SINATRA, @daemon, "-E", "none", "-O", "connect=#{File.join(@daemon.dir, 'nothing.socket')}",
                     env: { "TEST_DIR" => @daemon.dir })
    refute bad.wait.success?
    assert_includes bad.output, "msglite: cannot connect to msglite at"
  end

  def test_rackup_help_lists_the_handler_options
    # rackup prints -h while it parses, before it applies -I: the library comes from RUBYLIB.
    out = IO.popen({ "RUBYLIB" => File.join(CLIENT_ROOT, "lib") }, ["/usr/bin/ruby", RackupProcess::RACKUP, "-s", "msglite", "-h"],
                   err: %i[child out], &:read)
    %w[connect=VALUE request_address=VALUE workers=VALUE stop_timeout=VALUE].each { |o| assert_includes out, "-O #{o}" }
  end
end
