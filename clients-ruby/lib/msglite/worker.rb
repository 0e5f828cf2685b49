# frozen_string_literal: true

require "json"
require_relative "client"
require_relative "rack_env"
require_relative "rack_input"
require_relative "rack_reply"

module Msglite
  # Serves HTTP requests to a Rack app over two daemon connections: on +requests+ it keeps up to
  # +prefetch+ readies on the request address in a row; on +replies+ it sends each reply (the
  # head, the body pieces, the empty end message, docs/http-mapping.md) and fetches request
  # bodies. (The daemon runs one connection's commands in order, so a reply written behind
  # waiting readies would wait with them.)
  #
  # Requests that arrived together are served one after another with their replies corked;
  # only when the next request is not already here (the worker would block) do the replies go
  # out, in one write. Once every ready is answered they are issued again, in one write: one
  # that waits in the address's line, then +prefetch+ - 1 polls (timeout 0). The daemon takes
  # up a connection's commands in order, so the polls run only once the first ready is
  # answered, and take the requests queued at that moment or answer `*` at once; never waiting
  # in the line, they cannot draw a request to this worker while it is busy and another is
  # free. So an idle worker answers at once and a busy one pays its system calls per batch,
  # not per request.
  #
  # #stop! (safe to call from a signal handler) closes the sending side of +requests+ at once:
  # the daemon withdraws the readies it has not answered, so requests arriving from then on
  # stay queued for other workers. Requests it had already handed over still arrive and are
  # served; then the daemon closes the connection and #run returns. None is lost.
  class Worker
    # How long one ready on the request address waits: an idle worker renews it this often.
    POLL_SECONDS = 5
    # How long to wait for the request body. This proxy queues it before the envelope (so it is
    # there at once); the original daemon sent it right after.
    BODY_SECONDS = 30
    # How long reply messages may wait for the proxy to take them (it takes them as fast as the
    # HTTP client reads). If the client has gone, the proxy discards them anyway.
    REPLY_TTL_SECONDS = 600
    END_OF_REPLY = "".b.freeze
    # The reply address that turns a message to a reply address into an abort (docs/http-mapping.md).
    ABORT_MARK = "msglite.abort"
    # 8 takes most of the gain measured with a hello-world app (docs/BENCHMARKS.md: 1 -> 8 about
    # doubled the rate, 8 -> 16 added about a tenth) while a crash costs at most 8 requests
    # (README, "Crashes").
    DEFAULT_PREFETCH = 8

    def initialize(app, requests, replies, request_address, prefetch: DEFAULT_PREFETCH, errors: $stderr)
      @app = app
      @requests = requests
      @replies = replies
      @request_address = request_address
      @prefetch = prefetch
      @errors = errors
      @stopping = false
      @writing_readies = false
      @requests.cork
      @replies.cork
    end

    def stop!
      @stopping = true
      withdraw unless @writing_readies # else #issue_readies does it once its write is done
    end

    def stopping?
      @stopping
    end

    # Serves until #stop!; returns once every request the daemon handed over has been answered.
    def run
      loop do
        unless @requests.answer_buffered?
          settle
          issue_readies if @requests.answers_owed.zero? && !@stopping
        end
        break if @requests.answers_owed.zero?

        message = take
        serve(message) if message
      end
      settle
    end

    private

    def take
      @requests.next_answer
    rescue ConnectionError
      raise unless @stopping

      nil # the daemon withdrew the remaining readies and closed: nothing is owed any more
    end

    def issue_readies
      @writing_readies = true
      @requests.batch do
        @requests.request_ready(POLL_SECONDS, @request_address)
        (@prefetch - 1).times { @requests.request_ready(0, @request_address) }
      end
    ensure
      @writing_readies = false
      withdraw if @stopping
    end

    def withdraw
      @requests.shutdown_write
    rescue ConnectionError
      nil # already closed: no ready is left to withdraw
    end

    # Sends the corked replies. From an older proxy (no bodyLength), the readies that take the
    # bodies nobody read ride along, and their answers are read here.
    def settle
      @replies.flush
      @replies.next_answer while @replies.answers_owed.positive?
    end

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

    # Corks the head, the pieces and the end (a streamed body's pieces leave as they come) and
    # the ready that takes an unread body; #settle sends them. The body's close is always called.
    def finish(reply_to, status, headers, body, head_only: false, unread_body: nil)
      if reply_to
        @replies.send(head(status, headers), REPLY_TTL_SECONDS, reply_to)
        @replies.send(END_OF_REPLY, REPLY_TTL_SECONDS, reply_to) if head_only || stream(body, reply_to)
      end
      @replies.request_ready(BODY_SECONDS, unread_body) if unread_body
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
    # piece is written as soon as it is yielded. False when the body failed and the response
    # was aborted instead.
    def stream(body, reply_to)
      flush_each = !body.respond_to?(:to_ary)
      body.each do |piece|
        raise TypeError, "a Rack body yielded #{piece.class}, not a String" unless piece.is_a?(String)
        next if piece.empty? # an empty message would end the response early

        @replies.send(piece, REPLY_TTL_SECONDS, reply_to)
        @replies.flush if flush_each
      end
      true
    rescue Msglite::ConnectionError
      raise
    rescue StandardError, ScriptError => e
      # The head is out, so no error status can be sent any more. Ending the response would pass
      # the cut-off body for a whole one; aborting it makes the proxy break the connection off
      # (docs/http-mapping.md, "Aborting a response"), and the log says why.
      log_exception(e, "while streaming the response body")
      @replies.send("the application raised #{e.class} while streaming the body", REPLY_TTL_SECONDS, reply_to,
                    reply: ABORT_MARK)
      false
    end

    def fetch_body(body_addr)
      return "".b unless body_addr

      settle # the answers owed on the reply connection come first
      message = @replies.ready(BODY_SECONDS, body_addr)
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
