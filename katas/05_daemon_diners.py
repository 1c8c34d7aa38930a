"""Kata 05 · Diners who leave with main · 随 main 一起离开的食客

THE STORY
Here is the stuck program from kata 04 again, exactly as it was. This time,
fix it the other way the original lesson found: not by sending the diners
home, but by making them diners who leave when main leaves. A process can be
a daemon: when main ends, Python does not wait for a daemon at exit, it
stops it. Stopping a diner is harmless only when there is nothing left for
it to eat, so before main ends, every bun must already have been eaten. In
this shop, something already makes sure of that.

THE GOAL
Every bun is eaten exactly once, and the program ends by itself. The diners
may keep waiting at the counter until the very end: they leave with main.

WHAT IS BROKEN
Run `pytest` and you will see a HANG: the diners are blocked in
`counter.get()`, and main, although it has finished open_shop(), is waiting
for them at exit. Python's multiprocessing joins every child process that
is not a daemon when the program ends.

THE CONTRACT (the tests call these; keep the names and parameters)
    open_shop(shop)        main: starts shop.cooks cooks and shop.diners
                           diners, and ends only when every bun is eaten
    cook(counter, shop)    puts every bun of shop.buns() on the counter,
                           then waits until they have all been eaten
    diner(counter, shop)   takes buns off the counter, calls shop.eat(bun)
                           and then counter.task_done() for each of them
The tests choose how many cooks and diners there are, and how fast they
work: always use shop.cooks and shop.diners. Only the cooks make buns.

RUN JUST THIS KATA
    pytest --kata 05                   every test, under every start method
    python katas/05_daemon_diners.py   one run, and its report

------------------------------------------------------------------------
故事
这又是第 04 题里那个卡住的程序，一字未改。这一次，用原来那堂课找到的另一种办法修好它：
不是让食客回家，而是让食客随 main 一起离开。进程可以是守护进程（daemon）：main 结束时，
Python 退出时不会等守护进程，而是直接把它停掉。只有在食客已经没有包子可吃时，停掉它才无害；
所以 main 结束之前，每个包子都必须已经吃完。在这家店里，已经有东西保证了这一点。

目标
每个包子都被吃掉，而且只吃一次；程序自己结束。食客可以一直在柜台前等到最后：他们随 main 一起离开。

哪里坏了
运行 `pytest`，你会看到 HANG：食客们卡在 `counter.get()`；main 虽然已经走完了
open_shop()，却在退出时等着它们。程序结束时，Python 的 multiprocessing 会 join
每一个非守护子进程。

约定（测试会调用这些函数；名字和参数不要改）
    open_shop(shop)        main：启动 shop.cooks 位厨师和 shop.diners 位食客，
                           每个包子都吃完之后才结束
    cook(counter, shop)    把 shop.buns() 的每个包子放到柜台上，然后等它们全部被吃完
    diner(counter, shop)   从柜台上拿包子，每个包子先调用 shop.eat(bun)，再调用 counter.task_done()
厨师和食客的人数、干活的快慢，都由测试决定：一定要用 shop.cooks 和 shop.diners。只有厨师做包子。

只运行这个练习
    pytest --kata 05                   全部测试，每一种启动方式
    python katas/05_daemon_diners.py   运行一次，看它的报告
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)
    counter.join()  # until every bun on the counter has been eaten


def diner(counter, shop):
    while True:
        bun = counter.get()
        shop.eat(bun)
        counter.task_done()


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    # TODO: let the diners leave with main, instead of main waiting for them at exit. (让食客随 main 一起离开，而不是让 main 在退出时等他们。)
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    print("Every bun is eaten. The shop is closed.")


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
