# frozen_string_literal: true

require_relative "test_helper"
require "socket"
require "securerandom"

# Msglite::Client against the real daemon: every command, over TCP and Unix sockets.
class ClientTest < Minitest::Test
  DAEMON_LOCK = Mutex.new

  # Started by the first test that needs it. Under the lock because a test may connect from a
  # second thread at the same moment: without it, that thread could start a daemon of its own.
  def self.daemon
    DAEMON_LOCK.synchronize do
      @daemon ||= Daemon.start.tap { |d| Minitest.after_run { d.stop } }
    end
  end

  def daemon
    self.class.daemon
  end

  # A fresh address per test, so tests never see each other's messages.
  def addr(name = "a")
    "#{name}.#{name.object_id}.#{SecureRandom.hex(4)}"
  end

  def client(&block)
    Msglite::Client.open(daemon.unix, &block)
  end

  def test_send_then_ready_delivers_body_timeout_and_addresses
    to = addr
    client do |c|
      assert_nil c.send("hello", 30, to, reply: "back.here")
      assert_equal Msglite::Message.new("hello", 30, to, "back.here"), c.ready(1, to)
    end
  end

  def test_message_without_reply_address_has_nil_reply
    to = addr
    client do |c|
      c.send("x", 5, to)
      assert_nil c.ready(1, to).reply
    end
  end

  def test_tcp_and_unix_clients_share_the_daemon
    to = addr
    Msglite::Client.open(daemon.tcp) { |c| c.send("over tcp", 5, to) }
    Msglite::Client.open("unix:#{daemon.unix}") { |c| assert_equal "over tcp", c.ready(1, to).body }
  end

  def test_ready_returns_nil_after_its_timeout
    client do |c|
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      assert_nil c.ready(1, addr)
      waited = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
      assert_operator waited, :>=, 0.95
      assert_operator waited, :<, 3
    end
  end

  def test_ready_with_timeout_zero_is_a_poll
    to = addr
    client do |c|
      assert_nil c.ready(0, to)
      c.send("queued", 5, to)
      assert_equal "queued", c.ready(0, to).body
    end
  end

  def test_ready_checks_its_addresses_in_the_order_given
    first = addr("first")
    second = addr("second")
    client do |c|
      c.send("2", 5, second)
      c.send("1", 5, first)
      assert_equal %w[1 2], [c.ready(0, first, second).body, c.ready(0, first, second).body]
    end
  end

  def test_ready_waits_for_a_message_sent_later
    to = addr
    client do |waiting|
      waiting.request_ready(10, to)
      waiting.flush
      client { |sender| sender.send("late", 5, to) }
      assert_equal "late", waiting.next_answer.body
    end
  end

  def test_message_with_timeout_zero_only_reaches_a_waiting_reader
    to = addr
    client do |c|
      c.send("nobody waits", 0, to)
      assert_nil c.ready(0, to)
    end
  end

  def test_query_gets_the_answer_sent_to_its_reply_address
    service = addr("service")
    responder = Thread.new do
      client do |c|
        question = c.ready(10, service)
        c.send("answer to #{question.body}", 5, question.reply)
      end
    end
    client do |c|
      answer = c.query("2+2", 10, service)
      assert_equal "answer to 2+2", answer.body
      assert_nil answer.reply
      refute_empty answer.to
    end
    responder.join
  end

  def test_query_returns_nil_when_nobody_answers
    client { |c| assert_nil c.query("anyone?", 1, addr) }
  end

  def test_binary_bodies_round_trip_byte_for_byte
    to = addr
    bodies = [(0..255).to_a.pack("C*"), "line\r\nbreaks\r\n", "\r\n", "", "caf\u00e9 \u2603", SecureRandom.bytes(1 << 20)]
    client do |c|
      bodies.each { |b| c.send(b, 30, to) }
      bodies.each do |sent|
        got = c.ready(1, to).body
        assert_equal Encoding::BINARY, got.encoding
        assert_equal sent.b, got
      end
    end
  end

  def test_addresses_may_hold_any_non_whitespace_bytes
    to = "caf\u00e9.#{addr}"
    client do |c|
      c.send("x", 5, to, reply: "r\xff".b)
      message = c.ready(1, to)
      assert_equal [to.b, "r\xff".b], [message.to, message.reply]
    end
  end

  def test_pipelined_readies_are_answered_in_order
    to = addr
    client do |c|
      c.batch do
        c.send("one", 5, to)
        c.send("two", 5, to)
        c.request_ready(1, to)
        c.request_ready(1, to)
        c.request_ready(0, to)
      end
      assert_equal 3, c.answers_owed
      assert_equal ["one", "two", nil], Array.new(3) { c.next_answer&.body }
    end
  end

  def test_a_corked_client_writes_only_on_flush_and_tells_when_an_answer_is_buffered
    to = addr
    client do |c|
      client do |other|
        c.cork
        2.times { c.request_ready(5, to) }
        c.flush
        refute c.answer_buffered?, "nothing has come yet"
        other.send("one", 5, to)
        other.send("two", 5, to)
        assert_equal "one", c.next_answer.body
        assert_equal "two", c.next_answer.body
        refute c.answer_buffered?
        c.send("corked", 5, to)
        assert_nil other.ready(0, to), "a corked send waits"
        c.flush
        assert_equal "corked", other.ready(5, to).body
      end
    end
  end

  def test_answer_buffered_on_partial_input
    [["> 5 1 a\r\nhel", false], ["> 5 1 a\r\nhello\r", false], ["> 5 1 a\r\nhello\r\n", true],
     ["> 0 1 a\r\n", true], ["*\r\n", true], ["- queue full\r\n", true], ["> 5 1 a", false]].each do |input, whole|
      r, w = UNIXSocket.pair
      w.write(input)
      reader = Msglite::Wire::Reader.new(r)
      refute reader.answer_buffered?, "nothing read yet"
      reader.send(:fill, Process.clock_gettime(Process::CLOCK_MONOTONIC) + 5)
      assert_equal whole, reader.answer_buffered?, input.inspect
    ensure
      [r, w].each(&:close)
    end
  end

  def test_shutdown_write_withdraws_a_pending_ready_and_the_daemon_then_closes
    to = addr
    client do |c|
      c.request_ready(30, to)
      c.shutdown_write
      assert_raises(Msglite::ConnectionError) { c.next_answer }
      client do |other|
        other.send("after", 5, to)
        assert_equal "after", other.ready(5, to).body, "the withdrawn ready took nothing"
      end
    end
  end

  def test_ready_refuses_to_run_while_pipelined_answers_are_unread
    client do |c|
      c.request_ready(0, addr)
      assert_raises(ArgumentError) { c.ready(0, addr) }
      assert_nil c.next_answer
    end
  end

  def test_daemon_error_is_raised_as_msglite_error_and_closes_the_client
    client do |c|
      error = assert_raises(Msglite::Error) { c.ready(1, *Array.new(9) { |i| "a#{i}" }) }
      assert_equal "too many addresses in ready (limit 8)", error.message
      assert c.closed?
      assert_raises(Msglite::ConnectionError) { c.send("x", 1, "a") }
    end
  end

  def test_line_too_long_is_the_daemons_error
    client do |c|
      error = assert_raises(Msglite::Error) { c.ready(0, "x" * 5000) }
      assert_match(/\Aline too long \(limit \d+ bytes\)\z/, error.message)
    end
  end

  def test_bad_arguments_are_refused_before_anything_is_sent
    client do |c|
      assert_raises(ArgumentError) { c.send("x", 1, "has space") }
      assert_raises(ArgumentError) { c.send("x", 1, "") }
      assert_raises(ArgumentError) { c.send("x", -1, "a") }
      assert_raises(ArgumentError) { c.send("x", 1.5, "a") }
      assert_raises(ArgumentError) { c.send("x", 2**31, "a") }
      assert_raises(ArgumentError) { c.send(:symbol, 1, "a") }
      assert_raises(ArgumentError) { c.send("x", 1, "a", reply: "b\tc") }
      assert_raises(ArgumentError) { c.ready(1) }
      assert_raises(ArgumentError) { c.next_answer }
      assert_nil c.ready(0, addr), "the connection is still in step"
    end
  end

  def test_block_form_closes_the_client_even_when_the_block_raises
    kept = nil
    assert_raises(RuntimeError) do
      Msglite::Client.open(daemon.unix) do |c|
        kept = c
        raise "inside"
      end
    end
    assert kept.closed?
  end

  def test_block_form_returns_the_block_value
    assert_equal 42, client { 42 }
  end

  def test_quit_closes_and_later_calls_raise_connection_error
    c = Msglite::Client.new(daemon.tcp)
    c.quit
    assert c.closed?
    c.quit # twice is harmless
    assert_raises(Msglite::ConnectionError) { c.ready(0, "a") }
  end

  def test_unreachable_daemon_is_a_connection_error
    port = TCPServer.open("127.0.0.1", 0) { |s| s.addr[1] }
    error = assert_raises(Msglite::ConnectionError) { Msglite::Client.new("127.0.0.1:#{port}") }
    assert_includes error.message, "127.0.0.1:#{port}"
    assert_raises(Msglite::ConnectionError) { Msglite::Client.new(File.join(daemon.dir, "no.socket")) }
  end

  def test_malformed_addresses_are_argument_errors
    ["", "nohostport", "host:notaport", "tcp:"].each do |bad|
      assert_raises(ArgumentError, bad) { Msglite::Client.new(bad) }
    end
  end

  def test_daemon_that_never_answers_fails_at_the_deadline_instead_of_hanging
    with_fake_daemon(->(_conn) { sleep 5 }) do |address|
      c = Msglite::Client.new(address, answer_grace: 0.3)
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      assert_raises(Msglite::ConnectionError) { c.ready(0, "a") }
      assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - started, :<, 3
      assert c.closed?
    end
  end

  def test_garbage_or_eof_from_the_daemon_is_a_connection_error
    with_fake_daemon(->(conn) { conn.write("HELLO\r\n") }) do |address|
      assert_raises(Msglite::ConnectionError) { Msglite::Client.new(address).ready(1, "a") }
    end
    with_fake_daemon(->(conn) { conn.write("> 10 1 a\r\nshort") }) do |address|
      assert_raises(Msglite::ConnectionError) { Msglite::Client.new(address).ready(1, "a") }
    end
  end

  private

  # A TCP listener that answers the first connection with +behaviour+, then closes it.
  def with_fake_daemon(behaviour)
    server = TCPServer.new("127.0.0.1", 0)
    thread = Thread.new do
      conn = server.accept
      conn.gets
      behaviour.call(conn)
      conn.close
    end
    yield "127.0.0.1:#{server.addr[1]}"
  ensure
    thread&.kill
    server&.close
  end
end
