# frozen_string_literal: true

require_relative "test_helper"
require "rubygems/package"

# The gem packs every library file and builds.
class GemspecTest < Minitest::Test
  def spec
    Dir.chdir(CLIENT_ROOT) { Gem::Specification.load("msglite.gemspec") }
  end

  def test_gemspec_lists_every_library_file
    expected = Dir.chdir(CLIENT_ROOT) { Dir["lib/**/*.rb"] }
    assert_equal expected.sort, (spec.files - ["README.md"]).sort
    assert_includes spec.files, "lib/rack/handler/msglite.rb"
    assert_equal Msglite::VERSION, spec.version.to_s
  end

  def test_gem_builds
    Dir.mktmpdir do |dir|
      out = IO.popen(["gem", "build", "msglite.gemspec", "--output", File.join(dir, "msglite.gem")],
                     chdir: CLIENT_ROOT, err: %i[child out], &:read)
      assert $?.success?, out
      assert File.size?(File.join(dir, "msglite.gem"))
    end
  end
end
