# frozen_string_literal: true

require "json"

module Msglite
  # The reply head of docs/http-mapping.md, `[status, [name, value, ...]]`, from a Rack
  # response's status and headers. Pure, like RackEnv.
  module RackReply
    module_function

    # Header values may be Rack 3 Arrays or Rack 2 Strings holding several values separated by
    # "\n" (how Rack 2 apps send two Set-Cookie headers). "rack.*" keys are messages to the
    # server (rack.hijack), never HTTP headers.
    def head(status, headers)
      flat = []
      headers.each do |name, value|
        name = name.to_s
        next if name.start_with?("rack.")

        values(value).each { |v| flat << name << latin1(v) }
      end
      JSON.generate([status.to_i, flat])
    end

    def values(value)
      return value.map(&:to_s) if value.is_a?(Array)

      text = value.to_s
      text.empty? ? [text] : text.split("\n")
    end

    # The proxy writes each char of a header value as one byte (Latin-1). Mapping every byte to
    # the char of the same number sends the app's bytes unchanged, whatever their encoding, as
    # other Rack servers do.
    def latin1(text)
      return text if text.ascii_only? && text.valid_encoding?

      text.b.force_encoding(Encoding::ISO_8859_1).encode(Encoding::UTF_8)
    end

    # The head the worker sends when the app failed before it had a response.
    def error_head(status, text)
      head(status, { "Content-Type" => "text/plain; charset=utf-8", "Content-Length" => text.bytesize.to_s })
    end
  end
end
