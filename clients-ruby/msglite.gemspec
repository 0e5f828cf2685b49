# frozen_string_literal: true

require_relative "lib/msglite/version"

Gem::Specification.new do |spec|
  spec.name = "msglite"
  spec.version = Msglite::VERSION
  spec.summary = "Client and Rack handler for the msglite messaging daemon"
  spec.description = <<~TEXT
    Msglite::Client speaks msglite's text protocol (send, ready, query, quit) over TCP or a Unix
    socket. The Rack handler (`rackup -s msglite`) serves any Rack app from a pool of worker
    processes behind the daemon's HTTP proxy.
  TEXT
  spec.authors = ["the msglite project"]
  spec.files = Dir[File.join(__dir__, "lib/**/*.rb")].map { |f| f.delete_prefix("#{__dir__}/") } + ["README.md"]
  spec.require_paths = ["lib"]
  spec.required_ruby_version = ">= 2.7"
  # No runtime dependency: the client needs only Ruby, and the handler is loaded by rackup,
  # which brings Rack.
  spec.add_development_dependency "minitest", ">= 5"
  spec.add_development_dependency "rack", ">= 2.0"
  spec.add_development_dependency "sinatra", ">= 2"
end
