# frozen_string_literal: true

# Loaded by the rackup gem (Rack 3), which looks for rackup/handler/NAME.
require_relative "../../rack/handler/msglite"
