# frozen_string_literal: true

require_relative "test_helper"

# How rackup finds the handler: Rack 2's Rack::Handler.get, and the rackup gem's registry
# (Rack 3), which Debian does not ship, so a stand-in with its register/[] API is used. Each
# check runs in a fresh Ruby so the registries start empty.
class RegistrationTest < Minitest::Test
  def ruby(code)
    out = IO.popen(["/usr/bin/ruby", "-I", File.join(CLIENT_ROOT, "lib"), "-e", code], err: %i[child out], &:read)
    assert $?.success?, out
    out
  end

  def test_rack2_finds_the_handler_by_name
    out = ruby('require "rack"; p Rack::Handler.get("msglite"), Rack::Handler.get("Msglite")')
    assert_equal "Msglite::RackHandler\nMsglite::RackHandler\n", out
  end

  def test_rackup_gem_registry_gets_a_symbol_and_the_class
    out = ruby(<<~RUBY)
      module Rackup
        module Handler
          @handlers = {}
          def self.register(name, klass) = @handlers[name] = klass
          def self.[](name) = @handlers[name]
        end
      end
      require "rackup/handler/msglite"
      p Rackup::Handler[:msglite], Rackup::Handler::Msglite.respond_to?(:run)
    RUBY
    assert_equal "Msglite::RackHandler\ntrue\n", out
  end
end
