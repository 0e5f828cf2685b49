# frozen_string_literal: true

module Msglite
  # The daemon answered `- text`: it rejected what this client sent and has closed the
  # connection (docs/protocol.md lists every text). The message is the daemon's text.
  class Error < StandardError; end

  # The connection failed or the daemon broke the protocol (EOF, reset, a reply that cannot be
  # parsed, no answer within the client-side deadline). The client is closed afterwards,
  # because the byte stream can no longer be trusted to be in step.
  class ConnectionError < StandardError; end
end
