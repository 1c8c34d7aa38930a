"""The one table of katas: everything the harness knows about each of them.

A kata's files follow from its number and slug:
``katas/NN_slug.py`` (the stub), ``solutions/NN_slug.py``,
``tests/test_NN_slug.py`` and ``tests/wrong/NN_slug/<variant>.py``.
``pytest --verify-stubs`` checks every rule of this table (see dojo/verify.py).
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from dataclasses import dataclass, field

from dojo.promises import ALWAYS

#: a contract where every diner stops at None and goes home: one killed (terminate(), a daemon at exit) is WRONG
GO_HOME = ALWAYS + ("diners_go_home",)

#: The contract shared by the bun-shop katas: the functions a learner writes.
SHOP = {"open_shop": ["shop"], "cook": ["counter", "shop"], "diner": ["counter", "shop"]}


@dataclass(frozen=True)
class Reject:
    """A classic wrong answer, kept as tests/wrong/NN_slug/<variant>.py."""

    variant: str
    status: str  # the class the kata's tests must report for it
    why: str


@dataclass(frozen=True)
class Kata:
    number: str
    slug: str
    title: dict  # {"en": …, "zh": …}
    failure: str  # the stub's declared failure: a class, e.g. "HANG"
    failure_call: str  # for a HANG: the call a root process is blocked in, e.g. "get"
    hints: list  # [{"en": …, "zh": …}, …], mildest first
    points: int
    must_reject: list = field(default_factory=list)
    contract: dict = field(default_factory=lambda: dict(SHOP))
    entry: str = "open_shop"
    #: what a run must keep beyond running to its end: names of dojo/promises.py's checks
    promises: tuple = ALWAYS
    min_python: tuple = (3, 10)
    start_methods: tuple = ("fork", "spawn", "forkserver")
    #: mutants of the solution that are correct programs too (python -m dojo.mutants): mutant id -> one-line reason
    equivalent: dict = field(default_factory=dict)
    #: start methods under which the stub and the wrong answers pass, because the bug the kata teaches does not
    #: show there (kata 15: fork copies main, so nothing is pickled and nothing imported again); their tests
    #: must pass the stub and the wrong answers there, and the report under the others says why
    hidden_under: tuple = ()

    @property
    def name(self) -> str:
        return f"{self.number}_{self.slug}"

    @property
    def file(self) -> str:
        return f"{self.name}.py"

    @property
    def gate(self) -> str | None:
        """Why this kata cannot run here, or None."""
        if sys.version_info < self.min_python:
            return f"needs Python {'.'.join(map(str, self.min_python))} or newer"
        return None

    @property
    def methods(self) -> list[str]:
        have = multiprocessing.get_all_start_methods()
        return [m for m in self.start_methods if m in have]


KATAS = [
    Kata(
        "01", "sentinel",
        {"en": "The last bun", "zh": "最后一个包子"},
        "HANG", "get",
        [
            {"en": "The diner loops on counter.get() forever. Once the last bun is gone, what could it get that says 'no more buns'?",
             "zh": "食客一直在 counter.get() 上循环。最后一个包子吃完以后，它能拿到什么东西来表示“没有包子了”？"},
            {"en": "After the last bun, the cook puts None on the counter. The diner stops when `bun is None`; a bun can be 0 or '' and is still a bun, so do not test `if not bun`.",
             "zh": "最后一个包子之后，厨师往柜台上放一个 None。食客在 `bun is None` 时停下；包子可能是 0 或 ''，它们也是包子，所以不要写 `if not bun`。"},
        ],
        10,
        [Reject("no_sentinel", "HANG", "no sentinel at all: the diner waits forever"),
         Reject("sentinel_first", "LOST", "None put before the last bun: the diner leaves early"),
         Reject("falsy_stop", "LOST", "diner stops on a falsy bun (0, '') instead of `is None`")],
        promises=GO_HOME,
        equivalent={
            "drop_join@open_shop:1": "the diner ends only after the cook's None, its last put; Python joins the cook at exit",
            "swap_joins@open_shop:1+2": "the diner ends only after the cook's None, its last put: either order waits for both",
            "join_to_sleep@open_shop:1": "as drop_join@open_shop:1, with a harmless sleep: main still joins the diner",
            "add_daemon@open_shop:1": "main joins the cook before it ends, so a daemon cook is never cut short",
            "add_daemon@open_shop:2": "main joins the diner (it ends on its None) before it ends, so it is never cut short",
        },
    ),
    Kata(
        "02", "sentinel_per_diner",
        {"en": "One None per diner", "zh": "每位食客一个 None"},
        "HANG", "get",
        [
            {"en": "Each None stops exactly one diner. How many diners are there, and how many None did main send?",
             "zh": "每个 None 只能让一位食客停下。一共有几位食客？main 又放了几个 None？"},
            {"en": "In main: start everyone, join every cook, then put one None per diner (shop.diners of them), then join the diners. Never hard-code the numbers.",
             "zh": "在 main 里：先启动所有人，join 每一位厨师，然后为每位食客放一个 None（共 shop.diners 个），最后 join 食客。不要把人数写死。"},
        ],
        10,
        [Reject("none_per_cook", "LOST", "each cook puts one None when it is done: diners leave while a slow cook still cooks"),
         Reject("sentinels_before_join", "LOST", "main puts the None before the cooks are joined"),
         Reject("hard_coded_counts", "HANG", "main puts two None (the diners of the usual shop) instead of shop.diners: in a bigger shop a diner waits forever")],
        promises=GO_HOME,
        equivalent={
            "drop_join@open_shop:2": "Python's exit handler joins every non-daemon diner, and each one has begun by then (main waited for the cooks) and ends on its None: the same program",
            "join_to_sleep@open_shop:2": "the nap changes nothing: Python's exit handler still joins every non-daemon diner, each of which has begun and ends on its None",
            "add_daemon@open_shop:1": "main joins every cook before it ends, so a daemon cook is never cut short",
            "add_daemon@open_shop:2": "main joins every diner (each ends on its None) before it ends: none is cut short",
        },
    ),
    Kata(
        "03", "joinable_queue",
        {"en": "Wait until every bun is eaten", "zh": "等到每个包子都被吃完"},
        "HANG", "join",
        [
            {"en": "counter.join() waits until every bun put on the counter is marked done. Who marks a bun done, and when?",
             "zh": "counter.join() 会一直等，直到柜台上的每个包子都被标记为“完成”。谁来标记？什么时候标记？"},
            {"en": "In the diner, call counter.task_done() once for every counter.get(), after shop.eat(bun) returns, not before and not twice.",
             "zh": "在食客里，每一次 counter.get() 对应一次 counter.task_done()，放在 shop.eat(bun) 之后：不要提前，也不要调用两次。"},
        ],
        10,
        [Reject("task_done_before_eat", "WRONG", "task_done() before eating: join() returns while buns are uneaten"),
         Reject("task_done_twice", "CRASH", "task_done() twice per bun: ValueError"),
         Reject("task_done_some_paths", "HANG", "task_done() missing on one path (for buns that are strings but empty)"),
         Reject("cook_never_joins", "WRONG", "the cooks leave without waiting in counter.join() for their buns to be eaten")],
        promises=GO_HOME + ("cooks_wait_for_their_buns",),
        equivalent={
            "cancel_join_thread@cook:1": "the cook leaves only after its counter.join(), once every bun it put has been eaten: nothing it put is still on its way, so nothing is thrown away",
            "drop_join@open_shop:2": "Python's exit handler joins every non-daemon diner, and each one has begun by then (main waited for the cooks) and ends on its None: the same program",
            "join_to_sleep@open_shop:2": "the nap changes nothing: Python's exit handler still joins every non-daemon diner, each of which has begun and ends on its None",
            "drop_task_done@diner:2": "no join() waits on the counter after the None are put: their count is never waited on",
            "add_daemon@open_shop:1": "main joins every cook before it ends, so a daemon cook is never cut short",
            "add_daemon@open_shop:2": "main joins every diner (each ends on its None) before it ends: none is cut short",
        },
    ),
    Kata(
        "04", "hangs_on_get",
        {"en": "Why won't it exit?", "zh": "程序为什么退不出？"},
        "HANG", "get",
        [
            {"en": "main prints that it is done, yet Python does not exit: at exit, multiprocessing waits for every non-daemon child. What is each diner doing at that moment?",
             "zh": "main 说自己做完了，可 Python 没有退出：退出时 multiprocessing 会等待每一个非守护子进程。那一刻每位食客在做什么？"},
            {"en": "The cooks' counter.join() tells main that every bun is eaten. After joining the cooks, put one None per diner, and let each diner return when it gets None. Do not terminate() them.",
             "zh": "厨师的 counter.join() 返回，说明所有包子都吃完了。join 完厨师以后，为每位食客放一个 None，食客拿到 None 就 return。不要用 terminate() 杀掉它们。"},
        ],
        10,
        [Reject("terminate_diners", "WRONG", "main kills the diners with terminate()"),
         Reject("sentinels_while_cooking", "LOST", "the None are put while the cooks still cook")],
        promises=GO_HOME + ("nobody_is_killed",),
        equivalent={
            "cancel_join_thread@cook:1": "the cook leaves only after its counter.join(), once every bun it put has been eaten: nothing it put is still on its way, so nothing is thrown away",
            "drop_join@open_shop:2": "Python's exit handler joins every non-daemon diner, and each one has begun by then (main waited for the cooks) and ends on its None: the same program",
            "join_to_sleep@open_shop:2": "the nap changes nothing: Python's exit handler still joins every non-daemon diner, each of which has begun and ends on its None",
            "drop_task_done@diner:2": "no join() waits on the counter after the None are put: their count is never waited on",
            "drop_join@cook:1": "the None are put after every cook is joined, so behind every bun (one queue, first in first "
                                "out): kata 02's program, correct without the cooks' counter.join()",
            "join_to_sleep@cook:1": "as drop_join@cook:1, with a harmless sleep in the cook",
            "poll_empty@cook:1": "as drop_join@cook:1: the None still come after every bun, whenever the cook stops polling",
            "poll_qsize@cook:1": "as drop_join@cook:1: the None still come after every bun, whenever the cook stops polling",
            "add_daemon@open_shop:1": "main joins every cook before it ends, so a daemon cook is never cut short",
            "add_daemon@open_shop:2": "each diner returns on its None and main joins it: a daemon is never killed, it ends by "
                                      "itself",
        },
    ),
    Kata(
        "05", "daemon_diners",
        {"en": "Diners who leave with main", "zh": "随 main 一起离开的食客"},
        "HANG", "get",
        [
            {"en": "A daemon process is stopped when main ends, and Python does not wait for it at exit. Is that safe here? What guarantees every bun is eaten before main ends?",
             "zh": "守护进程会在 main 结束时被终止，Python 退出时也不会等它。在这里这样安全吗？是什么保证了 main 结束前每个包子都已经吃完？"},
            {"en": "Set diner.daemon = True before diner.start() (or pass daemon=True). Keep the cooks' counter.join() and main's join of every cook: they are what make it safe.",
             "zh": "在 diner.start() 之前设置 diner.daemon = True（或传入 daemon=True）。保留厨师的 counter.join() 和 main 对每位厨师的 join：正是它们让这样做变得安全。"},
        ],
        10,
        [Reject("daemon_after_start", "CRASH", "daemon set after start(): AssertionError"),
         Reject("daemon_without_joins", "LOST", "daemon diners, but nobody waits for the buns to be eaten")],
        equivalent={"add_daemon@open_shop:1": "main joins every cook before it ends, so a daemon cook is never cut short",
                    "cancel_join_thread@cook:1": "the cook leaves only after its counter.join(), once every bun it put has been eaten: nothing it put is still on its way, so nothing is thrown away"},
    ),
    Kata(
        "06", "daemon_loses_work",
        {"en": "The daemon trap", "zh": "守护进程的陷阱"},
        "LOST", "",
        [
            {"en": "Daemon diners are killed the moment main ends, even in the middle of a bun. What must main wait for before it ends?",
             "zh": "main 一结束，守护食客就会被杀掉，哪怕包子只吃了一半。main 结束之前必须等什么？"},
            {"en": "The diners already call task_done() after each bun. After joining every cook, main waits in counter.join(): it returns once every bun is eaten, and only then may the daemons go. A sleep() is a guess, not a wait.",
             "zh": "食客每吃完一个包子都会调用 task_done()。main join 完每一位厨师之后，在 counter.join() 里等待：它在每个包子都吃完后才返回，这时守护食客才可以离开。sleep() 只是猜测，不是等待。"},
        ],
        10,
        [Reject("sleep_instead_of_join", "LOST", "main sleeps a while instead of waiting for the work"),
         Reject("join_some_cooks", "LOST", "main joins only the first cook")],
        equivalent={"add_daemon@open_shop:1": "main joins every cook before it ends, so a daemon cook is never cut short"},
    ),
    Kata(
        "07", "task_done_in_finally",
        {"en": "The bad bun", "zh": "坏包子"},
        "HANG", "join",
        [
            {"en": "When shop.eat(bun) raises, the rest of the loop's body is skipped, counter.task_done() too, and the "
                   "diner dies. The cooks wait in counter.join() for a bun nobody will mark done. Which statement runs "
                   "whatever happens?",
             "zh": "shop.eat(bun) 一抛出异常，循环体剩下的部分就都被跳过了，counter.task_done() 也是，食客随之死掉。"
                   "厨师在 counter.join() 里等一个永远没人标记完成的包子。哪种语句无论如何都会执行？"},
            {"en": "Wrap each bite on its own, inside the loop: try: shop.eat(bun) / except Exception as error: "
                   "errors.put(error) / finally: counter.task_done(). The diner stays in its loop, and main hands each "
                   "error it reads to shop.handle_error(error).",
             "zh": "在循环里面，把每一口单独包起来：try: shop.eat(bun) / except Exception as error: errors.put(error) / "
                   "finally: counter.task_done()。食客留在循环里，main 把读到的每个错误交给 shop.handle_error(error)。"},
        ],
        10,
        [Reject("swallowed", "WRONG", "the diner catches the bad bun's error and drops it: main never hears of it"),
         Reject("dies_on_first_bad_bun", "WRONG", "one try around the whole loop: the error goes home, and the diner "
                                                  "with it")],
        contract={"open_shop": ["shop"], "cook": ["counter", "shop"], "diner": ["counter", "errors", "shop"]},
        promises=GO_HOME + ("cooks_wait_for_their_buns", "errors_carried_home", "choked_diners_eat_on"),
        equivalent={
            "move_put_none@diner:1/up1": "the None's task_done() is waited on by no join(): the DONE before it or after it is the same",
            "drop_task_done@diner:2": "no join() waits on the counter after the None are put: their count is never waited on",
            "drop_join@open_shop:2": "Python's exit handler joins every non-daemon diner, and each has already sent its last "
                                     "DONE (main read it): the same program",
            "join_to_sleep@open_shop:2": "the nap changes nothing: Python's exit handler still joins every diner, each of which "
                                         "has sent its last DONE",
            "truthy_stop@open_shop:1": "every error main reads is an exception, which is true; only DONE (None) is false",
            "poll_qsize@open_shop:1": "qsize() counts an error from its put(), which comes before its bun is marked done and so "
                                      "before main reads: at 0, every error is read (the DONE left are small)",
            "add_daemon@open_shop:1": "main joins every cook before it ends, so a daemon cook is never cut short",
            "add_daemon@open_shop:2": "main reads every diner's DONE, its last put, then joins it: a daemon diner is never cut short",
            "join_before_reading@open_shop:2": "a diner's errors are a few small exceptions that fit in the pipe, so it exits "
                                               "before main reads them (hundreds would be kata 08's hang)",
        },
    ),
    Kata(
        "08", "drain_before_join",
        {"en": "Read first, then join", "zh": "先读完，再 join"},
        "HANG", "join",
        [
            {"en": "main waits in a_cook.join() for a cook that is waiting too: at exit, a process waits until what it "
                   "put on a queue is written into the queue's pipe, and a full pipe waits for a reader. Who is the reader?",
             "zh": "main 在 a_cook.join() 里等一位也在等待的厨师：进程退出时，要等它放进队列的东西都写进队列的管道，"
                   "而满了的管道要等有人来读。谁是那个读的人？"},
            {"en": "Swap the two loops: first read the counter until you have got one None per cook, eating every bun; "
                   "then join the cooks. Do not call cancel_join_thread(): it lets a cook leave by throwing its buns away.",
             "zh": "把两个循环调换过来：先读柜台，吃掉每个包子，直到每位厨师的 None 都拿到了；然后再 join 厨师。"
                   "不要调用 cancel_join_thread()：它让厨师丢掉包子离开。"},
        ],
        10,
        [Reject("cancel_join_thread", "HANG", "the cook calls cancel_join_thread() to leave at once: what it had not "
                                              "sent is thrown away, and main waits for it for ever"),
         Reject("reading_only_part", "HANG", "main reads until the first None only: a later cook's buns are never read")],
        contract={"open_shop": ["shop"], "cook": ["counter", "shop"]},
        promises=ALWAYS + ("nobody_is_killed", "main_eats"),
        equivalent={
            "drop_join@open_shop:1": "Python's exit handler joins every non-daemon cook, and main has read each one's DONE, "
                                     "its last put: the same program",
            "join_to_sleep@open_shop:1": "the nap changes nothing: Python's exit handler still joins every cook, each of which "
                                         "has had its DONE read",
            "add_daemon@open_shop:1": "main joins every cook, after reading all it put, before it ends: a daemon cook is never "
                                      "cut short",
        },
    ),
    Kata(
        "09", "bounded_counter",
        {"en": "A counter with little room", "zh": "柜台放不下"},
        "HANG", "put",
        [
            {"en": "A cook waits in counter.put() while the counter is full, until a diner takes a bun. Where are the "
                   "diners while main waits for the cooks?",
             "zh": "柜台满了，厨师就在 counter.put() 里等，直到有食客拿走一个包子。main 等厨师的时候，食客们在哪里？"},
            {"en": "Start the diners (and the cooks) before main joins any cook: then the cooks, the diners' eating and "
                   "main's None all go on together. Keep maxsize=shop.counter_size: the wait in put() is the point.",
             "zh": "在 main join 任何厨师之前，先启动食客（和厨师）：这样厨师做、食客吃、main 放 None 就能一起进行。"
                   "保留 maxsize=shop.counter_size：put() 里的等待正是要的效果。"},
        ],
        10,
        [Reject("unbounded", "WRONG", "the counter made without maxsize, so that put() never waits: it holds every bun"),
         Reject("bigger_counter", "WRONG", "a counter with room for plenty instead of shop.counter_size")],
        promises=GO_HOME + ("counter_never_overfull",),
        equivalent={
            "drop_join@open_shop:2": "Python's exit handler joins every non-daemon diner, and each one has begun by then (main "
                                     "waited for the cooks) and ends on its None: the same program",
            "join_to_sleep@open_shop:2": "the nap changes nothing: Python's exit handler still joins every non-daemon diner, "
                                         "each of which has begun and ends on its None",
            "add_daemon@open_shop:1": "main joins every cook before it ends, so a daemon cook is never cut short",
            "add_daemon@open_shop:2": "main joins every diner (each ends on its None) before it ends: none is cut short",
        },
    ),
    Kata(
        "10", "graceful_close",
        {"en": "Closing time", "zh": "打烊"},
        "HANG", "get",
        [
            {"en": "main sets `closing` when the signal comes, but the cooks and diners never look at it. Where, in each of them, can they look at it between two buns? And what of the buns still on the counter?",
             "zh": "信号来时 main 会设置 `closing`，可是厨师和食客从来不看它。在它们各自的代码里，两个包子之间的什么地方可以看一眼？柜台上还剩下的包子又怎么办？"},
            {"en": "A diner blocked in counter.get() cannot look at anything: use counter.get(timeout=0.05), catch queue.Empty, and loop `while not closing.is_set()`. Finish the bun in hand. A cook stops after putting the bun it cooked.",
             "zh": "卡在 counter.get() 里的食客什么也看不到：改用 counter.get(timeout=0.05)，捕获 queue.Empty，用 `while not closing.is_set()` 循环。手里的包子要吃完。厨师把做好的包子放上柜台以后再停下。"},
            {"en": "In main, after the close: join every cook and diner first; then nobody puts or takes a bun, so take what is left with counter.get_nowait() until queue.Empty and call shop.leftover(bun) for each. Keep the signal handler as it is: main ends normally, exit code 0.",
             "zh": "在 main 里，关门以后：先 join 每一位厨师和食客；这之后没有人再放或拿包子了，于是用 counter.get_nowait() 取出剩下的包子，直到 queue.Empty，每个都调用 shop.leftover(bun)。信号处理保持原样：main 正常结束，退出码 0。"},
        ],
        15,
        [Reject("uncounted_leftovers", "LOST", "the diners stop, but the buns left on the counter are not counted: eaten + leftover != cooked"),
         Reject("daemon_diners", "LOST", "daemon diners, and main does not wait for them: a diner is killed in the middle of a bun"),
         Reject("terminate_on_close", "LOST", "main terminate()s the diners at closing time: one is killed in the middle of a bun"),
         Reject("exit_nonzero", "CRASH", "main ends with sys.exit(128 + signal number), as a shell reports a killed process: exit code != 0"),
         Reject("set_in_handler", "HANG", "the handler calls closing.set() while main waits in closing.wait(): main waits for itself"),
         Reject("sigint_only", "CRASH", "only Ctrl+C (SIGINT) closes the shop: SIGTERM kills main at once")],
        contract={"open_shop": ["shop"], "cook": ["counter", "shop", "closing"], "diner": ["counter", "shop", "closing"]},
        promises=("eaten_or_left_over", "closes_on_signal", "cooks_stop_at_closing", "handler_returns",
                  "join_waits_for_the_eating", "task_done_once_per_bun", "task_done_after_eating"),
        equivalent={
            "add_daemon@open_shop:1": "main joins every cook before it ends, so a daemon cook is never cut short",
            "add_daemon@open_shop:2": "main joins every diner (each ends by itself at closing time) before it ends: "
                                      "none is cut short",
        },
    ),
    Kata(
        "11", "pool",
        {"en": "Let the pool do it", "zh": "交给进程池"},
        "WRONG", "",
        [
            {"en": "A task that raises in a worker process does not crash anything: the pool puts the error in the "
                   "task's future. What does main do with a future whose task failed?",
             "zh": "任务在工作进程里抛出异常，并不会让什么崩溃：进程池把错误放进了任务的 future。"
                   "main 是怎么处理一个任务失败了的 future 的？"},
            {"en": "For each future, in the order you submitted them: try: shop.served(future.result()) / except "
                   "Exception as error: shop.handle_error(error). result() raises the task's own error. Keep diner a "
                   "function at the top of the file: the pool pickles every task.",
             "zh": "按提交的顺序处理每个 future：try: shop.served(future.result()) / except Exception as error: "
                   "shop.handle_error(error)。result() 会抛出任务自己的错误。diner 要保持为文件顶层的函数："
                   "进程池会 pickle 每个任务。"},
        ],
        10,
        [Reject("lambda_task", "CRASH", "each task is a lambda closing over the shop: it cannot be pickled"),
         Reject("as_completed", "WRONG", "results served as they complete, not in the order the buns were cooked")],
        contract={"open_shop": ["shop"], "diner": ["bun", "shop"]},
        promises=ALWAYS + ("errors_carried_home", "served_in_order", "only_bad_buns_fail"),
    ),
    Kata(
        "15", "start_methods",
        {"en": "Every start method", "zh": "每一种启动方式"},
        "CRASH", "",
        [
            {"en": "It passes under fork and crashes under spawn and forkserver. Under fork a child is a copy of main; under spawn it is a new Python that is sent the target by pickle and imports your file again. What in this file cannot be sent that way, and what runs again on import?",
             "zh": "在 fork 下通过，在 spawn 和 forkserver 下崩溃。fork 出来的子进程是 main 的一份拷贝；spawn 出来的是一个新的 Python，目标函数要用 pickle 传过去，它还会重新导入你的文件。这个文件里什么东西没法这样传过去？什么东西在导入时又会再运行一遍？"},
            {"en": "Give each Process a top-level function as its target, with what it needs in args: target=diner, args=(counter, shop), never a lambda or a function defined inside open_shop. And keep the last three lines under `if __name__ == \"__main__\":`: a spawned child imports the file again, and must not open a shop of its own.",
             "zh": "给每个 Process 一个顶层函数作为 target，它需要的东西放进 args：target=diner, args=(counter, shop)，不要用 lambda，也不要用定义在 open_shop 里面的函数。最后三行要保留在 `if __name__ == \"__main__\":` 下面：spawn 出来的子进程会重新导入这个文件，它不能再开一家自己的店。"},
        ],
        10,
        [Reject("lambda_target", "CRASH", "a lambda as a Process target: it cannot be pickled (spawn, forkserver)"),
         Reject("local_function", "CRASH", "a function defined inside open_shop as a target: it cannot be pickled (spawn, forkserver)"),
         Reject("no_main_guard", "CRASH", "the lines that open the shop without `if __name__ == \"__main__\":`: every spawned child opens it again while it starts"),
         Reject("global_marker", "HANG", "a global that main changes after the import: a spawned child sees it as the import left it")],
        entry="__main__",
        promises=GO_HOME,
        hidden_under=("fork",),
        equivalent={
            "add_daemon@open_shop:1": "main joins every cook before it ends, so a daemon cook is never cut short",
            "add_daemon@open_shop:2": "main joins every diner (each ends on its None) before it ends: none is cut short",
        },
    ),
    Kata(
        "16", "pipeline",
        {"en": "From the kitchen to the table", "zh": "从厨房到餐桌"},
        "HANG", "get",
        [
            {"en": "The steamers stop at their None, but the diners never get one. Who tells each stage that the stage before it is done, and when is it really done?",
             "zh": "蒸笼师傅拿到 None 就停下了，可食客从来拿不到 None。是谁告诉每一道工序“上一道已经做完了”？什么时候才算真的做完？"},
            {"en": "In main, stage by stage: join every cook, then put one None per steamer on the raw counter; join every steamer, then put one None per diner on the steamed counter; then join the diners.",
             "zh": "在 main 里，一道工序接一道工序：join 每一位厨师，然后为每位蒸笼师傅往生包子柜台放一个 None；join 每一位蒸笼师傅，然后为每位食客往熟包子柜台放一个 None；最后 join 食客。"},
        ],
        15,
        [Reject("no_end_for_diners", "HANG", "the steamers stop, but nobody tells the diners: they wait for ever"),
         Reject("steamers_told_early", "LOST", "the steamers get their None before the cooks are joined: buns stop between the cooks and the steamers"),
         Reject("diners_told_early", "LOST", "the diners get their None before the steamers are joined: a stage stops early, buns stop between the steamers and the diners"),
         Reject("one_none_per_stage", "HANG", "one None per stage, not per worker: all but one steamer wait for ever")],
        contract={"open_shop": ["shop"], "cook": ["raw", "shop"], "steamer": ["raw", "steamed", "shop"],
                  "diner": ["steamed", "shop"]},
        promises=("through_every_stage", "diners_go_home"),
        equivalent={
            "add_daemon@open_shop:1": "main joins every cook before it ends, so a daemon cook is never cut short",
            "add_daemon@open_shop:2": "main joins every steamer (each ends on its None) before it ends: none is cut short",
            "add_daemon@open_shop:3": "main joins every diner (each ends on its None) before it ends: none is cut short",
            "drop_join@open_shop:3": "Python's exit handler joins every non-daemon diner, each begun (a held start) and ending "
                                     "on its None, which main put after every steamed bun: the same program",
            "join_to_sleep@open_shop:3": "the nap changes nothing: Python's exit handler still joins every non-daemon diner, "
                                         "each of which has begun and ends on its None",
        },
    ),
]

BY_NUMBER = {k.number: k for k in KATAS}


def find(name: str) -> Kata | None:
    """A kata by number ("1", "01") or by slug or file name."""
    name = name.removesuffix(".py")
    for k in KATAS:
        if name.zfill(2) == k.number or name in (k.slug, k.name):
            return k
    return None


def of_test_file(path) -> Kata | None:
    """The kata whose tests are in ``path`` (tests/test_NN_slug.py, or a node id in it), or None."""
    name = os.path.basename(str(path).split("::")[0])
    if name.startswith("test_") and name.endswith(".py"):
        return BY_NUMBER.get(name[5:7]) if find(name[5:-3]) else None
    return None
