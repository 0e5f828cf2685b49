# frozen_string_literal: true

# Loaded by `rackup -s msglite` (Rack 2 looks for rack/handler/NAME). Registers the handler
# with whichever handler registry is present.
require_relative "../../msglite/rack_handler"

begin
  require "rack"
rescue LoadError
  nil # no Rack at all: only the Rackup registry below can apply
end

if defined?(::Rack.release) && ::Rack.release < "3"
  require "rack/handler"
  ::Rack::Handler::Msglite = ::Msglite::RackHandler unless defined?(::Rack::Handler::Msglite)
  ::Rack::Handler.register("msglite", "Rack::Handler::Msglite")
end

# Rack 3 moved handlers to the rackup gem, which registers classes under Symbols.
if defined?(::Rackup::Handler)
  ::Rackup::Handler::Msglite = ::Msglite::RackHandler unless defined?(::Rackup::Handler::Msglite)
  ::Rackup::Handler.register(:msglite, ::Msglite::RackHandler)
end
