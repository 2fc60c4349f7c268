/**
 * Where the command line takes a new password from, never from an argument (arguments
 * show in `ps` and shell history): standard input with --password-stdin, the
 * JIEKUN_NEW_PASSWORD variable for scripts, or a hidden prompt, typed twice, on a terminal.
 */
export async function readNewPassword(options: { fromStdin: boolean; env: NodeJS.ProcessEnv }): Promise<string> {
  if (options.fromStdin) {
    const text = await readAll(process.stdin)
    // `echo secret | …` and here-strings add one line ending; it is not part of the password.
    return text.replace(/\r?\n$/, '')
  }
  if (options.env.JIEKUN_NEW_PASSWORD) return options.env.JIEKUN_NEW_PASSWORD
  if (!process.stdin.isTTY) {
    throw new Error('No password given: pipe it in with --password-stdin, set JIEKUN_NEW_PASSWORD, or run the command in a terminal to be asked')
  }
  const first = await promptHidden('New password: ')
  const second = await promptHidden('Type it again: ')
  if (first !== second) throw new Error('The two passwords differ; nothing was created')
  return first
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks).toString('utf8')
}

/** Reads a line from the terminal without echoing it (prompt on stderr, so stdout stays clean). */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin
  return new Promise((resolve, reject) => {
    let value: string[] = []
    const finish = () => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
    }
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          finish()
          resolve(value.join(''))
          return
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish()
          reject(new Error('Cancelled; nothing was created'))
          return
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else value.push(ch)
      }
    }
    // Echo off before the prompt shows: whatever is typed after it must never appear.
    stdin.setRawMode(true)
    stdin.resume()
    stdin.on('data', onData)
    process.stderr.write(question)
  })
}
