"""Kata 10 · Closing time · 打烊

THE STORY
This shop has no fixed number of customers: it is open until closing time.
Closing time comes as a signal to main, SIGTERM (what `kill` or a service
manager sends) or SIGINT (Ctrl+C). main already catches both and sets the
`closing` event, which every cook and diner is handed. But nobody looks at
it: the cooks go on cooking, the diners go on waiting at the counter, and
main waits for them for ever.

THE GOAL
When the signal comes, the shop closes cleanly:
- a cook puts the bun it has just cooked on the counter, then cooks no more;
- a diner finishes the bun in hand (never stops in the middle of one), then
  goes home;
- main counts every bun still on the counter with shop.leftover(bun), so
  that eaten + left over = cooked, and ends with exit code 0.

WHAT IS BROKEN
Run `pytest` and you will see HANG: the diners are blocked in counter.get()
after the close, and main waits for them in join().

THE CONTRACT (the tests call these; keep the names and parameters)
    open_shop(shop)                 main: opens the shop, and closes it on SIGTERM or SIGINT
    cook(counter, shop, closing)    puts the buns of shop.buns() on the counter until closing
    diner(counter, shop, closing)   eats buns with shop.eat(bun) until closing
    shop.leftover(bun)              main calls it once for each bun left on the counter
The tests choose how many cooks and diners there are, how fast they work,
and when the signal comes: always use shop.cooks and shop.diners.

RUN JUST THIS KATA
    pytest --kata 10

------------------------------------------------------------------------
故事
这家店不限客人数量：一直营业到打烊。打烊的时间以信号的形式送到 main：SIGTERM（`kill` 命令或服务管理器发出的）
或 SIGINT（Ctrl+C）。main 已经接住了这两个信号，并设置了 `closing` 事件，每位厨师和食客手里都有它。
可是没有人去看它：厨师接着做，食客接着在柜台前等，main 就一直等着他们。

目标
信号一来，店就干净利落地打烊：
- 厨师把刚做好的包子放上柜台，然后不再做了；
- 食客把手里的包子吃完（绝不吃到一半就停下），然后回家；
- main 用 shop.leftover(bun) 清点柜台上剩下的每个包子，使得 吃掉的 + 剩下的 = 做出来的，并以退出码 0 结束。

哪里坏了
运行 `pytest`，你会看到 HANG：打烊以后食客卡在 counter.get() 里，main 在 join() 里等他们。

约定（测试会调用这些；名字和参数不要改）
    open_shop(shop)                 main：开店，收到 SIGTERM 或 SIGINT 时打烊
    cook(counter, shop, closing)    打烊之前，把 shop.buns() 的包子放上柜台
    diner(counter, shop, closing)   打烊之前，用 shop.eat(bun) 吃包子
    shop.leftover(bun)              main 为柜台上剩下的每个包子调用一次
厨师和食客的人数、干活的快慢、信号什么时候来，都由测试决定：一定要用 shop.cooks 和 shop.diners。

只运行这个练习
    pytest --kata 10
"""
import multiprocessing
import queue  # noqa: F401  (queue.Empty is what a get() with a timeout raises when nothing came)
import signal


def cook(counter, shop, closing):
    for bun in shop.buns():
        counter.put(bun)


def diner(counter, shop, closing):
    while True:
        bun = counter.get()
        shop.eat(bun)


def open_shop(shop):
    closing = multiprocessing.Event()
    counter = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop, closing)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop, closing)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    # SIGTERM raises KeyboardInterrupt, as Ctrl+C (SIGINT) does. closing.set() is called below, not in a handler:
    # a handler runs in main, and main is the one waiting in closing.wait().
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        closing.wait()  # the shop is open until closing time
    except KeyboardInterrupt:
        closing.set()
    # TODO: the cooks and diners must look at `closing` (and finish what is in hand); then count the leftovers.
    # (厨师和食客要看 `closing`，手里的活要做完；然后清点剩下的包子。)
    for person in cooks + diners:
        person.join()
    print("Closed.")


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
