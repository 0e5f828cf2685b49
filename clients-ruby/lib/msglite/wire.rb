# frozen_string_literal: true

require "io/wait"
require_relative "errors"
require_relative "message"

module Msglite
  # The text protocol's framing (docs/protocol.md): command encoders that append to a binary
  # buffer, and a Reader that parses the daemon's answers. Arguments are checked here, before a
  # byte is written, because a bad token would otherwise reach the daemon as a protocol error
  # that closes the connection.
  module Wire
    MAX_TIMEOUT = 2**31 - 1 # the daemon's numbers are 31-bit
    CRLF = "\r\n"

    module_function

    # Each encoder checks every argument before it appends a byte, so a refused command leaves
    # nothing half-written in the buffer.
    def message(out, body, timeout, to, reply)
      line = "> #{body.bytesize} #{seconds(timeout)} #{token(to)}"
      line = "#{line} #{token(reply)}" if reply
      with_body(out, line, body)
    end

    def ready(out, timeout, addresses)
      raise ArgumentError, "ready needs at least one address" if addresses.empty?

      out << "< #{seconds(timeout)} #{addresses.map { |a| token(a) }.join(' ')}\r\n"
    end

    def query(out, body, timeout, to)
      with_body(out, "? #{body.bytesize} #{seconds(timeout)} #{token(to)}", body)
    end

    def with_body(out, line, body)
      out << line << CRLF
      out << body << CRLF unless body.empty?
      out
    end

    # The bytes of any String without copying those already binary.
    def bytes(body)
      raise ArgumentError, "a message body must be a String, not #{body.class}" unless body.is_a?(String)

      body.encoding == Encoding::BINARY ? body : body.b
    end

    def seconds(timeout)
      unless timeout.is_a?(Integer) && timeout >= 0 && timeout <= MAX_TIMEOUT
        raise ArgumentError, "a timeout must be whole seconds from 0 to #{MAX_TIMEOUT}, not #{timeout.inspect}"
      end

      timeout.to_s
    end

    WHITESPACE = /[ \t\r\n\v\f]/.freeze

    # An address is any run of bytes other than ASCII whitespace. ASCII and binary Strings are
    # used as they are (this runs several times per HTTP request); others become their bytes,
    # so that appending them to the binary buffer cannot raise an encoding error.
    def token(address)
      text = address.is_a?(String) ? address : address.to_s
      text = text.b unless text.ascii_only? || text.encoding == Encoding::BINARY
      if text.empty? || text.match?(WHITESPACE)
        raise ArgumentError, "a msglite address must be non-empty without whitespace, not #{address.inspect}"
      end

      text
    end

    # Parses answers from a socket through its own buffer, so that a body of any size and any
    # bytes is read exactly and every wait has a deadline (IO#gets would block without one).
    class Reader
      CHUNK_BYTES = 64 * 1024
      HEAD = /\A>[ \t]+(\d+)[ \t]+(\d+)[ \t]+(\S+)(?:[ \t]+(\S+))?[ \t]*\z/n.freeze
      BODY_LENGTH = /\A>[ \t]+(\d+)/n.freeze
      GT = ">".ord

      def initialize(io)
        @io = io
        @buf = String.new(capacity: CHUNK_BYTES, encoding: Encoding::BINARY)
        @pos = 0 # bytes of @buf already consumed
        @chunk = String.new(capacity: CHUNK_BYTES, encoding: Encoding::BINARY)
      end

      # True when the next answer has arrived whole, so #answer returns it without reading the
      # socket: with several readies outstanding, one read often brings several answers.
      def answer_buffered?
        eol = @buf.index("\n", @pos) or return false
        length = @buf.getbyte(@pos) == GT ? BODY_LENGTH.match(@buf.byteslice(@pos, eol - @pos))&.[](1).to_i : 0
        @buf.bytesize >= eol + 1 + (length.positive? ? length + 2 : 0)
      end

      # The next answer: a Message, or nil for `*`. Raises Msglite::Error for `- text` and
      # ConnectionError for EOF, garbage, or nothing by +deadline+ (a monotonic time).
      def answer(deadline)
        line = read_line(deadline)
        return nil if line == "*"
        raise Error, line.byteslice(2..).to_s.force_encoding(Encoding::UTF_8).scrub if line.start_with?("- ")

        m = HEAD.match(line) or raise ConnectionError, "unexpected answer from the daemon: #{line.inspect}"
        Message.new(read_body(Integer(m[1], 10), deadline), Integer(m[2], 10), m[3], m[4])
      end

      private

      def read_line(deadline)
        loop do
          eol = @buf.index("\n", @pos)
          if eol
            line = @buf.byteslice(@pos, eol - @pos).chomp("\r")
            @pos = eol + 1
            return line
          end
          fill(deadline)
        end
      end

      def read_body(length, deadline)
        return String.new(encoding: Encoding::BINARY) if length.zero?

        fill(deadline) while @buf.bytesize - @pos < length + 2
        body = @buf.byteslice(@pos, length)
        raise ConnectionError, "a message body from the daemon is not followed by CRLF" unless @buf.byteslice(@pos + length, 2) == CRLF

        @pos += length + 2
        body
      end

      # Reads what the socket has. When everything buffered has been consumed (the usual case:
      # one answer per read), the read buffer simply becomes the buffer, so bytes are not copied
      # and no string is allocated per read.
      def fill(deadline)
        loop do
          case @io.read_nonblock(CHUNK_BYTES, @chunk, exception: false)
          when :wait_readable then wait(deadline)
          when nil then raise ConnectionError, "the daemon closed the connection"
          else return take_chunk
          end
        end
      end

      def take_chunk
        if @pos == @buf.bytesize
          @buf, @chunk = @chunk, @buf
        else
          @buf = @buf.byteslice(@pos..) if @pos.positive?
          @buf << @chunk
        end
        @pos = 0
      end

      def wait(deadline)
        left = deadline - Process.clock_gettime(Process::CLOCK_MONOTONIC)
        raise ConnectionError, "the daemon did not answer in time" if left <= 0

        @io.wait_readable(left)
      end
    end
  end
end
