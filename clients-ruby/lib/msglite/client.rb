# frozen_string_literal: true

require "io/wait"
require_relative "errors"
require_relative "message"
require_relative "address"
require_relative "wire"

module Msglite
  # A connection to a msglite daemon speaking the text protocol of docs/protocol.md.
  #
  #   Msglite::Client.open("127.0.0.1:9813") do |c|
  #     c.send("hello", 30, "greetings")
  #     c.ready(5, "greetings")            # => #<struct Msglite::Message body="hello", ...>
  #     c.query("2+2", 5, "calculator")    # => the answer, or nil after 5 s
  #   end
  #
  # Bodies are bytes: any String is sent as its bytes, and bodies come back as binary
  # (ASCII-8BIT) Strings. A `- error` from the daemon raises Msglite::Error and leaves the client
  # closed (the daemon closes its side after an error). One client is one connection and is not
  # thread-safe: give each thread or process its own.
  #
  # Pipelining: #request_ready writes a ready without waiting and #next_answer reads the oldest
  # answer still owed; inside #batch every command is buffered and written in one go at the end.
  # A #cork'ed client buffers every command until #flush (or #next_answer, which flushes).
  class Client
    # How long past a command's own timeout the client waits for the daemon before it gives up
    # on the connection. The daemon answers within milliseconds of the deadline, so this only
    # fires when it hangs, and turns a hang into a ConnectionError.
    ANSWER_GRACE_SECONDS = 10

    READ_CHUNK_BYTES = 64 * 1024

    attr_reader :address

    # With a block: yields the client and closes it afterwards (even on an exception), returning
    # the block's value. Without: returns the open client.
    def self.open(address = nil, **options)
      client = new(address, **options)
      return client unless block_given?

      begin
        yield client
      ensure
        client.close
      end
    end

    # +address+: "HOST:PORT", "tcp:HOST:PORT", a socket path or "unix:PATH"; nil means
    # $MSGLITE_CONNECT, else the daemon's default /tmp/msglite.socket. +answer_grace+: see
    # ANSWER_GRACE_SECONDS.
    def initialize(address = nil, answer_grace: ANSWER_GRACE_SECONDS)
      @address = address || ENV["MSGLITE_CONNECT"] || Address::DEFAULT
      @answer_grace = answer_grace
      @sock = Address.connect(@address)
      @reader = Wire::Reader.new(@sock)
      @out = String.new(encoding: Encoding::BINARY)
      @owed = [] # timeouts of the readies/queries whose answers have not been read, oldest first
      @batching = false
      @corked = false
    end

    # Sends +body+ to address +to+, kept queued for +timeout+ seconds if nobody is waiting
    # (0: only to a reader already waiting). The daemon sends no answer. Returns nil.
    def send(body, timeout, to, reply: nil)
      Wire.message(@out, Wire.bytes(body), timeout, to, reply)
      flush_unless_batching
      nil
    end

    # Waits up to +timeout+ seconds for a message on any of +addresses+ (checked in the order
    # given). Returns a Message, or nil when the time ran out (the daemon's `*`).
    def ready(timeout, *addresses)
      no_answers_owed!
      request_ready(timeout, *addresses)
      next_answer
    end

    # Sends +body+ to +to+ with a fresh reply address and waits up to +timeout+ seconds for the
    # answer. Returns the answer (its +to+ is that reply address), or nil on timeout.
    def query(body, timeout, to)
      no_answers_owed!
      Wire.query(@out, Wire.bytes(body), timeout, to)
      @owed << timeout
      flush_unless_batching
      next_answer
    end

    # Writes a ready without waiting for its answer; read it later with #next_answer.
    def request_ready(timeout, *addresses)
      Wire.ready(@out, timeout, addresses)
      @owed << timeout
      flush_unless_batching
      nil
    end

    # Reads the oldest answer still owed: a Message, or nil for a timeout.
    def next_answer
      raise ArgumentError, "no answer is owed: nothing was asked" if @owed.empty?

      flush
      deadline = monotonic + @owed.first + @answer_grace
      answer = guard { @reader.answer(deadline) }
      @owed.shift
      answer
    end

    # Buffers every command written inside the block and writes them in one go at its end.
    def batch
      return yield self if @batching

      @batching = true
      begin
        yield self
      ensure
        @batching = false
      end
      flush
    end

    # Answers requested with #request_ready and not read yet.
    def answers_owed
      @owed.size
    end

    # True when the oldest answer owed has arrived whole: #next_answer returns it without waiting.
    def answer_buffered?
      @reader.answer_buffered?
    end

    # From now on commands stay buffered until #flush: for a caller that chooses when to write.
    def cork
      @corked = true
      nil
    end

    # Closes the sending side. The daemon takes that as the client going away and withdraws its
    # pending readies; answers it had already sent can still be read, until ConnectionError.
    def shutdown_write
      guard do
        flush
        @sock.shutdown(Socket::SHUT_WR)
      end
      nil
    end

    # Says goodbye (`.`) and closes the connection.
    def quit
      return if closed?

      begin
        @out << ".\r\n"
        flush
      rescue ConnectionError
        nil # the connection was already broken; closing is all that is left to do
      ensure
        close_socket
      end
    end
    alias close quit

    def closed?
      @sock.closed?
    end

    def to_io
      @sock
    end

    def flush
      return if @out.empty?

      guard { @sock.write(@out) }
      @out.clear
    end

    private

    def flush_unless_batching
      flush unless @batching || @corked
    end

    def no_answers_owed!
      return if @owed.empty?

      raise ArgumentError, "#{@owed.size} answer(s) from request_ready are unread; read them with next_answer first"
    end

    # Any failure leaves the byte stream out of step, so the client closes; the daemon's own
    # `- error` closes it too (the daemon hangs up after sending it).
    def guard
      raise ConnectionError, "msglite client for #{@address} is closed" if closed?

      yield
    rescue Error, ConnectionError
      close_socket
      raise
    rescue IOError, SystemCallError => e
      close_socket
      raise ConnectionError, "msglite connection to #{@address} failed: #{e.message}"
    end

    def close_socket
      @sock.close unless @sock.closed?
      @owed.clear
    end

    def monotonic
      Process.clock_gettime(Process::CLOCK_MONOTONIC)
    end
  end
end
