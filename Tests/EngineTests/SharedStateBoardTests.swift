import Core
import Testing

@testable import Engine

/// `SharedStateBoard`: what a consumer that last looked at a generation has
/// missed since.
@Suite struct SharedStateBoardTests {
    @Test func changesSinceAGeneration_areTheLatestValuesOfTheIdsPublishedAfterIt() {
        let board = SharedStateBoard()
        board.publish(["~recurrence/a": ["count": 1]])
        let seen = board.current
        board.publish(["~recurrence/b": ["count": 1]])
        board.publish(["~recurrence/b": ["count": 2], "~recurrence/c": nil])

        let (changes, generation) = board.changes(since: seen)
        #expect(generation == board.current)
        #expect(changes.count == 2)
        #expect(changes["~recurrence/b"] == .some(["count": 2]))
        #expect(changes["~recurrence/c"] == .some(nil), "a removed state is reported as removed")
        #expect(changes["~recurrence/a"] == nil, "seen already")
        #expect(board.changes(since: generation).changes.isEmpty)
    }

    @Test func aConsumerFurtherBehindThanTheHistory_getsEveryState() {
        let board = SharedStateBoard()
        board.publish(["~recurrence/old": ["count": 1]])
        for round in 0...(2 * SharedStateBoard.historyLimit) {
            board.publish(["~recurrence/hot": .int(round)])
        }
        let (changes, _) = board.changes(since: 0)
        #expect(changes["~recurrence/old"] == .some(["count": 1]), "its change was cut from the history")
        #expect(changes["~recurrence/hot"] == .some(.int(2 * SharedStateBoard.historyLimit)))
    }
}
