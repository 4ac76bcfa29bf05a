//! A throwaway `redis-server` for tests and benches: 127.0.0.1 on a free port, no
//! persistence (`--save '' --appendonly no`), killed on drop.
//!
//! When it cannot start (not installed), [`start_or_skip`] prints a loud message and the
//! caller skips, except when the environment variable `CI` is set: CI must run these
//! tests (`.ci/run` installs `redis-server`), so there it panics instead.
#![allow(dead_code)]

use std::io;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a fresh server may take to answer `PING`.
const START_DEADLINE: Duration = Duration::from_secs(10);

/// A running redis-server child process.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
}

/// Starts a server, or explains loudly why the caller should skip (panics under `CI`).
pub fn start_or_skip(test: &str) -> Option<RedisServer> {
    match RedisServer::start() {
        Ok(server) => Some(server),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("{test}: redis-server could not start ({e}); CI must run this test")
        }
        Err(e) => {
            eprintln!(
                "\n{bar}\nSKIPPED {test}: redis-server could not start: {e}\n\
                 install it (apt-get install -y redis-server) to run the Redis tests\n{bar}\n",
                bar = "!".repeat(78)
            );
            None
        }
    }
}

fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl RedisServer {
    /// A server on a free port.
    pub fn start() -> io::Result<RedisServer> {
        let mut server = RedisServer {
            child: None,
            port: free_port()?,
        };
        server.spawn()?;
        Ok(server)
    }

    fn spawn(&mut self) -> io::Result<()> {
        // `DEBUG` is disabled by default since Redis 7; older servers refuse the option,
        // so they are started without it.
        let mut last = io::Error::other("redis-server did not start");
        for debug in [true, false] {
            let mut cmd = Command::new("redis-server");
            cmd.args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
                .args(["--loglevel", "warning", "--protected-mode", "yes"]);
            if debug {
                cmd.args(["--enable-debug-command", "yes"]);
            }
            let child = cmd
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?;
            self.child = Some(child);
            match self.wait_ready() {
                Ok(()) => return Ok(()),
                Err(e) => {
                    self.stop();
                    last = e;
                }
            }
        }
        Err(last)
    }

    fn wait_ready(&mut self) -> io::Result<()> {
        let deadline = Instant::now() + START_DEADLINE;
        loop {
            if let Some(child) = self.child.as_mut() {
                if let Some(status) = child.try_wait()? {
                    return Err(io::Error::other(format!("redis-server exited: {status}")));
                }
            }
            if let Ok(mut conn) = self.admin() {
                if redis::cmd("PING").query::<String>(&mut conn).is_ok() {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(io::Error::other("redis-server did not answer PING"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// A plain (blocking) connection for administration: DBSIZE, PTTL, DEBUG SLEEP.
    pub fn admin(&self) -> redis::RedisResult<redis::Connection> {
        redis::Client::open(self.url())?.get_connection_with_timeout(Duration::from_secs(1))
    }

    /// Kills the server (SIGKILL: no goodbye to clients, as in a crash).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Kills the server and starts a new, empty one on the same port.
    pub fn restart(&mut self) -> io::Result<()> {
        self.stop();
        self.spawn()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}
