import Foundation

/// A fixed set of threads running handlers, which may block (SQLite, body reads, writes).
/// Jobs wait in FIFO order when every thread is busy.
final class WorkerPool {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var head = 0
    private var stopping = false
    private let exited = DispatchSemaphore(value: 0)
    private let count: Int

    init(threads: Int) {
        count = max(1, threads)
        for index in 0..<count {
            let thread = Thread { [self] in work() }
            thread.name = "http-worker-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    func submit(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Threads exit once the queue is empty; waits up to `timeout` seconds for them.
    func stop(timeout: Double) {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
        let deadline = DispatchTime.now() + timeout
        for _ in 0..<count where exited.wait(timeout: deadline) == .timedOut { break }
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count && !stopping { condition.wait() }
            if head == jobs.count {
                condition.unlock()
                exited.signal()
                return
            }
            let job = jobs[head]
            head += 1
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeSubrange(0..<head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}
