/**
 * The port through which a network front end (the RESP module, {@code io.redjar.resp}) serves a
 * store's clients, without touching the store's internals.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link io.redjar.spi.FrontEnd} ({@code store.frontEnd()}): one per store. The front end
 *       sets its startup settings with {@link io.redjar.spi.FrontEnd#initialConfig}, attaches its
 *       {@link io.redjar.spi.Transport} (port, event-loop flavour, for INFO) and opens one
 *       {@link io.redjar.spi.Connection} per accepted socket with
 *       {@link io.redjar.spi.FrontEnd#connect}, giving the core a {@link io.redjar.spi.Peer}
 *       (addresses, a way to push bytes and to close).</li>
 *   <li>{@link io.redjar.spi.Connection#execute} runs one decoded command. Everything about the
 *       command, connection commands included (HELLO, AUTH, CLIENT ..., RESET, SELECT, QUIT, ECHO,
 *       PING, MONITOR), is the core's: authentication gate, reply modes (CLIENT REPLY), statistics,
 *       slow log, MONITOR feed. The front end only encodes the {@link io.redjar.spi.Result} for
 *       the connection's {@link io.redjar.spi.Connection#protocol() protocol}, in order.</li>
 *   <li>A {@link io.redjar.spi.Result#later() later} result (a blocking command) completes on
 *       another thread; the front end must hold back the replies of the commands pipelined behind
 *       it. Cancelling the future unblocks the command (it takes nothing).</li>
 *   <li>When the socket goes away the front end calls {@link io.redjar.spi.Connection#disconnected()}
 *       exactly once; the core forgets the client, cancels its blocked command and stops its
 *       MONITOR feed.</li>
 *   <li>The core calls {@link io.redjar.spi.Peer#send} (MONITOR lines, already RESP-encoded) and
 *       {@link io.redjar.spi.Peer#close} (CLIENT KILL) from any thread.</li>
 * </ul>
 *
 * <p>Nothing here exposes {@code io.redjar.internal}; the RESP module imports only
 * {@code io.redjar} and {@code io.redjar.spi} (its {@code NoInternalImportsTest}).
 * See also {@code docs/spi.md}.
 */
package io.redjar.spi;
