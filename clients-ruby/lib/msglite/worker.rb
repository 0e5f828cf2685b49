# frozen_string_literal: true

require "json"
require_relative "client"
require_relative "rack_env"
require_relative "rack_input"
require_relative "rack_reply"

module Msglite
  # Serves HTTP requests to a Rack app over one daemon connection, one request at a time:
  # ready on the request address, build the env, call the app, send the reply head, the body
  # pieces and the empty end message to the envelope's reply address (docs/http-mapping.md).
  #
  # A stop (#stop!, safe to call from a signal handler) is noticed between requests: the ready
  # in flight is always answered first (within POLL_SECONDS), and a request it brings is served.
  # Closing the connection while a ready waits could lose a request the daemon had just written
  # into the socket; waiting out the ready keeps every queued request for the next worker.
  class Worker
    # How long one ready on the request address waits. Bounds how late a stop is noticed.
    POLL_SECONDS = 1
    # How long to wait for the request body. This proxy queues it before the envelope (so it is
    # there at once); the original daemon sent it right after.
    BODY_SECONDS = 30
    # How long reply messages may wait for the proxy to take them (it takes them as fast as the
    # HTTP client reads). If the client has gone, the proxy discards them anyway.
    REPLY_TTL_SECONDS = 600
    END_OF_REPLY = "".b.freeze

    def initialize(app, client, request_address, errors: $stderr)
      @app = app
      @client = client
      @request_address = request_address
      @errors = errors
      @stopping = false
    end

    def stop!
      @stopping = true
    end

    def stopping?
      @stopping
    end

    # Serves until #stop!; returns once every answer owed by the daemon has been read.
    def run
      @client.request_ready(POLL_SECONDS, @request_address) unless @stopping
      while @client.answers_owed.positive?
        message = @client.next_answer
        if message
          serve(message)
        elsif !@stopping
          @client.request_ready(POLL_SECONDS, @request_address)
        end
      end
    end

    private

    def serve(message)
      envelope = parse(message)
      unless envelope
        finish(message.reply, *failure(500, "msglite: the request message is not an envelope\n"))
        return
      end

      body_length = envelope["bodyLength"]
      body_length = nil unless body_length.is_a?(Integer) && body_length >= 0
      input = RackInput.new { body_length&.zero? ? "".b : fetch_body(envelope["bodyAddr"]) }
      env = RackEnv.build(envelope, input, @errors)
      dechunked(env, input)
      status, headers, body = call_app(env)
      # A proxy that sends bodyLength drops a body nobody read by itself; an older one leaves
      # it queued, so it is taken after the reply.
      unread_body = !input.loaded? && body_length.nil? && envelope["bodyAddr"]
      finish(message.reply, status, headers, body, head_only: env["REQUEST_METHOD"] == "HEAD",
                                                   unread_body: unread_body)
    end

    def parse(message)
      envelope = JSON.parse(message.body)
      return envelope if envelope.is_a?(Hash) && envelope["method"] && envelope["url"]

      @errors.puts("msglite: ignoring a message on #{@request_address} that is not a request envelope")
      nil
    rescue JSON::ParserError => e
      @errors.puts("msglite: ignoring a message on #{@request_address} that is not JSON: #{e.message}")
      nil
    end

    # The proxy has already decoded a chunked request, so the app gets a plain body of a known
    # length (a Rack app is never handed chunked framing).
    def dechunked(env, input)
      return unless env.delete("HTTP_TRANSFER_ENCODING")

      env["CONTENT_LENGTH"] = input.size.to_s
    end

    def call_app(env)
      response = @app.call(env)
      unless response.is_a?(Array) && response.size == 3
        raise TypeError, "the Rack app returned #{response.class}, not [status, headers, body]"
      end

      response
    rescue StandardError, ScriptError => e
      log_exception(e, "#{env['REQUEST_METHOD']} #{env['REQUEST_URI']}")
      failure(500, "Internal Server Error\n")
    end

    def failure(status, text)
      [status, { "Content-Type" => "text/plain; charset=utf-8", "Content-Length" => text.bytesize.to_s }, [text]]
    end

    # Sends the head, the pieces and the end in as few writes as the body allows, pipelined
    # with the unread body's ready and the next request's ready; then takes the unread body.
    # The body's close is always called.
    def finish(reply_to, status, headers, body, head_only: false, unread_body: nil)
      @client.batch do
        if reply_to
          @client.send(head(status, headers), REPLY_TTL_SECONDS, reply_to)
          stream(body, reply_to) unless head_only
          @client.send(END_OF_REPLY, REPLY_TTL_SECONDS, reply_to)
        end
        @client.request_ready(BODY_SECONDS, unread_body) if unread_body
        @client.request_ready(POLL_SECONDS, @request_address) unless @stopping
      end
      @client.next_answer if unread_body
    ensure
      body.close if body.respond_to?(:close)
    end

    def head(status, headers)
      RackReply.head(status, headers)
    rescue StandardError => e
      log_exception(e, "bad status or headers #{[status, headers].inspect[0, 200]}")
      RackReply.error_head(500, "")
    end

    # Array-like bodies are complete already: their pieces go out with the end in one write.
    # Any other body may be producing pieces over time (a stream, server-sent events), so each
    # piece is written as soon as it is yielded.
    def stream(body, reply_to)
      flush_each = !body.respond_to?(:to_ary)
      body.each do |piece|
        raise TypeError, "a Rack body yielded #{piece.class}, not a String" unless piece.is_a?(String)
        next if piece.empty? # an empty message would end the response early

        @client.send(piece, REPLY_TTL_SECONDS, reply_to)
        @client.flush if flush_each
      end
    rescue Msglite::ConnectionError
      raise
    rescue StandardError, ScriptError => e
      # The head is out, so no error status can be sent any more; the response ends here
      # (the protocol has no way to abort it) and the log says why it is short.
      log_exception(e, "while streaming the response body")
    end

    def fetch_body(body_addr)
      return "".b unless body_addr

      message = @client.ready(BODY_SECONDS, body_addr)
      return message.body if message

      @errors.puts("msglite: the request body did not arrive on #{body_addr} within #{BODY_SECONDS} s; reading it as empty")
      "".b
    end

    def log_exception(error, context)
      @errors.puts("msglite: #{context}: #{error.class}: #{error.message}")
      @errors.puts(error.backtrace.map { |line| "\t#{line}" }) if error.backtrace
    end
  end
end
