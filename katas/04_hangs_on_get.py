"""Kata 04 · Why won't it exit? · 程序为什么退不出？

THE STORY
This is the program the whole dojo grew from. The counter is a
JoinableQueue. Each diner calls task_done() after every bun it eats; each
cook, after its last bun, waits in counter.join() until every bun on the
counter has been eaten. Main waits for the cooks, prints that every bun is
eaten and the shop is closed, and reaches the end of open_shop(). It is
true: every bun has been eaten. And yet the program does not end. It just
sits there, still stuck, until someone presses Ctrl+C.

THE GOAL
Every bun is eaten exactly once; then every diner leaves the counter and
goes home by itself, and the program ends. Nobody is thrown out: a diner
killed with terminate() may be in the middle of a bun.

WHAT IS BROKEN
Run `pytest` and you will see a HANG: the diners are blocked in
`counter.get()`, and main, although it has finished open_shop(), is waiting
for them at exit. When a program ends, Python's multiprocessing joins every
child process that is not a daemon, and the diners never stop on their own.

THE CONTRACT (the tests call these; keep the names and parameters)
    open_shop(shop)        main: starts shop.cooks cooks and shop.diners
                           diners, and sees that everyone goes home
    cook(counter, shop)    puts every bun of shop.buns() on the counter,
                           then waits until they have all been eaten
    diner(counter, shop)   takes buns off the counter, calls shop.eat(bun)
                           and then counter.task_done() for each of them
The tests choose how many cooks and diners there are, and how fast they
work: always use shop.cooks and shop.diners. Only the cooks make buns.

RUN JUST THIS KATA
    pytest --kata 04                  every test, under every start method
    python katas/04_hangs_on_get.py   one run, and its report

------------------------------------------------------------------------
故事
这就是整个道场最初的那个程序。柜台是一个 JoinableQueue。食客每吃完一个包子就调用
task_done()；厨师放完最后一个包子后，在 counter.join() 里等，直到柜台上的每个包子都被吃完。
main 等厨师们结束，打印“包子都吃完了，关门”，然后走到 open_shop() 的末尾。这是真的：
每个包子都吃完了。可程序就是不结束，一直卡在那里，直到有人按下 Ctrl+C。

目标
每个包子都被吃掉，而且只吃一次；然后每位食客离开柜台，自己回家；程序结束。
不要把人赶走：用 terminate() 杀掉的食客，可能正吃到一半。

哪里坏了
运行 `pytest`，你会看到 HANG：食客们卡在 `counter.get()`；main 虽然已经走完了
open_shop()，却在退出时等着它们。程序结束时，Python 的 multiprocessing 会 join
每一个非守护（daemon）子进程，而食客们自己永远不会停下。

约定（测试会调用这些函数；名字和参数不要改）
    open_shop(shop)        main：启动 shop.cooks 位厨师和 shop.diners 位食客，
                           并让所有人都回家
    cook(counter, shop)    把 shop.buns() 的每个包子放到柜台上，然后等它们全部被吃完
    diner(counter, shop)   从柜台上拿包子，每个包子先调用 shop.eat(bun)，再调用 counter.task_done()
厨师和食客的人数、干活的快慢，都由测试决定：一定要用 shop.cooks 和 shop.diners。只有厨师做包子。

只运行这个练习
    pytest --kata 04                  全部测试，每一种启动方式
    python katas/04_hangs_on_get.py   运行一次，看它的报告
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
    diners = [multiprocessing.Process(target=diner, args=(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    # TODO: every bun is eaten, yet the diners still wait at the counter: send each one home. (包子都吃完了，食客们却还在柜台前等着：让每一位都回家。)
    print("Every bun is eaten. The shop is closed.")


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
