use strict;
use warnings;

# Restarts with requests waiting: the pool is stopped (TERM) and started again, and reloaded
# (HUP), while dozens of requests are queued in the daemon. Every request must be answered,
# once, with its own number; none may be lost or fail.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use MsgliteTest qw(start_daemon start_plackup http http_bg wait_for);

my $d = start_daemon();
$ENV{MSGLITE_TEST_DIR} = $d->dir;
my $app = "$FindBin::Bin/apps/dancer.psgi";

sub set_tag { open my $fh, '>', $d->dir . '/tag' or die; print $fh "$_[0]\n"; close $fh }
sub pool { start_plackup($d, $app, '--workers', 2, '-E', 'deployment', @_) }
sub fire { my ($from, $to) = @_; return { map { $_ => http_bg($d, 'GET', "/work/$_?sleep=0.05") } $from .. $to } }
sub done_count { my ($reqs) = @_; return scalar grep { $_->done } values %$reqs }

# Collects every answer: n => [status, tag, pid].
sub answers {
    my ($reqs) = @_;
    my %out;
    for my $n (sort { $a <=> $b } keys %$reqs) {
        my ($status, $body) = $reqs->{$n}->result(60);
        my ($got_n, $tag, $pid) = ($body // '') =~ /\An=(\d+) tag=(\S+) pid=(\d+)\z/;
        $out{$n} = [$status, $got_n // '?', $tag, $pid];
    }
    return \%out;
}

sub all_served {
    my ($answers, $name) = @_;
    my @bad = grep { $answers->{$_}[0] != 200 || $answers->{$_}[1] ne $_ } sort { $a <=> $b } keys %$answers;
    ok(!@bad, "$name: all " . scalar(keys %$answers) . ' answered 200 with their own number')
        or diag join "\n", map { "request $_: @{ $answers->{$_} }[0, 1]" } @bad;
}

set_tag('v1');
my $first = pool();
is((http($d, 'GET', '/'))[0], 200, 'the pool serves');

subtest 'TERM the pool with requests queued, then start a new one' => sub {
    my $reqs = fire(1, 40);
    wait_for('a few answers', 30, sub { done_count($reqs) >= 4 });
    $first->signal('TERM');
    is($first->wait_exit(30), 0, 'the old pool finished its requests and exited');
    my $waiting = 40 - done_count($reqs);
    cmp_ok($waiting, '>', 0, "$waiting requests were still queued with no worker running");
    my $second = pool();
    my $answers = answers($reqs);
    all_served($answers, 'across the restart');
    my %pids = map { $_->[3] => 1 } values %$answers;
    cmp_ok(scalar keys %pids, '>=', 3, 'served by workers of both pools');
    $first = $second;
};

subtest 'HUP with requests queued: the app is reloaded, nothing lost' => sub {
    set_tag('v2');
    my $reqs = fire(101, 140);
    wait_for('a few answers', 30, sub { done_count($reqs) >= 4 });
    $first->signal('HUP');
    my $answers = answers($reqs);
    all_served($answers, 'across the reload');
    my %tags = map { $_->[2] => 1 } values %$answers;
    ok($tags{v1} && $tags{v2}, 'answered by the old app (v1) and then by the reloaded one (v2)');
    my ($status, $body) = http($d, 'GET', '/work/0');
    like($body, qr/tag=v2/, 'the reloaded app keeps serving');
    ok(kill(0, $first->pid), 'the master re-executed in place (same pid)');
    $first->signal('TERM');
    is($first->wait_exit(30), 0, 'and stops cleanly');
};

subtest 'HUP on a single process reloads it too' => sub {
    set_tag('v3');
    my $single = start_plackup($d, $app, '-E', 'deployment');
    like((http($d, 'GET', '/work/1'))[1], qr/tag=v3/, 'serves v3');
    set_tag('v4');
    $single->signal('HUP');
    my $reqs = fire(201, 210);
    all_served(my $answers = answers($reqs), 'across the reload');
    like((http($d, 'GET', '/work/2'))[1], qr/tag=v4/, 'then serves v4');
    $single->signal('TERM');
    is($single->wait_exit(30), 0, 'stops cleanly');
};

done_testing;
