package Msglite::PSGI::Prefork;

# The master of a preforking pool. It never talks to the daemon: workers each hold their own
# connection and ready on the request address, so the daemon's line of waiting readers is
# the load balancer, and requests that arrive while no worker is ready simply stay queued.
# That is what makes every restart here lossless.

use strict;
use warnings;

use Errno qw(EINTR ECHILD);
use POSIX ();
use Time::HiRes qw(time);

our $VERSION = '0.02';

# A worker that fails sooner than this after its start is not respawned at once, so an app
# that dies on load cannot turn the master into a fork loop. (A clean exit, as after
# psgix.harakiri, is replaced at once.)
use constant QUICK_DEATH_SECONDS => 1;

=head1 NAME

Msglite::PSGI::Prefork - preforking master for Plack::Handler::Msglite

=head1 METHODS

=over

=item new

    my $master = Msglite::PSGI::Prefork->new(workers => 4, reexec => [$^X, $0, @ARGV]);

C<reexec> is the command line that HUP runs to reload everything; without it,
HUP only restarts the workers.

=cut

sub new {
    my ($class, %args) = @_;
    # pids: the workers we keep the count of; all: every child still running (stopping ones too).
    return bless { workers => $args{workers}, reexec => $args{reexec}, pids => {}, all => {} }, $class;
}

=item run

    $master->run(sub { ... runs in each worker, returns when it should exit ... });

Keeps C<workers> children running until TERM or INT (then it tells the workers
to stop, waits for them to finish their requests and returns) or HUP (then it
tells them to stop and re-executes itself: the new master starts fresh workers
while the old ones finish, and requests queue in the daemon in between).
A second TERM or INT while stopping kills the workers.

=cut

sub run {
    my ($self, $work) = @_;
    my ($stop, $reload) = (0, 0);
    local $SIG{TERM} = local $SIG{INT} = sub {
        kill KILL => keys %{ $self->{all} } if $stop++;
    };
    local $SIG{HUP} = sub { $reload = 1 };
    local $SIG{CHLD} = sub { };    # only so that a child's exit cuts the nap below short
    while (!$stop) {
        if ($reload) {
            $reload = 0;
            $self->_stop_workers;
            $self->_reexec;    # returns only when there is nothing to exec
            next;
        }
        1 while $self->_reap(POSIX::WNOHANG()) > 0;
        $self->_spawn($work) while keys %{ $self->{pids} } < $self->{workers} && !$stop && !$reload;
        # Signals (a child's exit too) cut this short; one that lands just before it waits at
        # most this long.
        select(undef, undef, undef, 1) unless $stop || $reload;
    }
    $self->_stop_workers;
    1 while $self->_reap(0) > 0 || $! == EINTR;    # until ECHILD: old generations too
    return;
}

sub _spawn {
    my ($self, $work) = @_;
    my $pid = fork;
    if (!defined $pid) {
        warn "msglite: fork failed: $!\n";
        sleep 1;
        return;
    }
    if ($pid == 0) {
        $SIG{$_} = 'DEFAULT' for qw(TERM INT HUP CHLD);
        my $ok = eval { $work->(); 1 };
        warn "msglite: worker $$ failed: $@" unless $ok;
        POSIX::_exit($ok ? 0 : 1);    # skip END blocks and destructors that belong to the master
    }
    $self->{pids}{$pid} = $self->{all}{$pid} = time;
}

# Collects one exited child: its pid, or 0/-1 when none has exited or none is left.
sub _reap {
    my ($self, $flags) = @_;
    my $pid = waitpid(-1, $flags);
    return $pid if $pid <= 0;
    delete $self->{all}{$pid};
    # Children in neither table are the previous generation's, left running by a HUP re-exec.
    my $started = delete $self->{pids}{$pid};
    sleep QUICK_DEATH_SECONDS if $? && defined $started && time - $started < QUICK_DEATH_SECONDS;
    return $pid;
}

# Workers finish the request in hand and exit; they no longer count towards the pool.
sub _stop_workers {
    my ($self) = @_;
    kill TERM => keys %{ $self->{pids} };
    $self->{pids} = {};
}

sub _reexec {
    my ($self) = @_;
    my $cmd = $self->{reexec} or return;
    warn "msglite: reloading: exec @$cmd\n";
    exec { $cmd->[0] } @$cmd;
    warn "msglite: exec $cmd->[0] failed ($!); restarting the workers only\n";
}

=back

=cut

1;
