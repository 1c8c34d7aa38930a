"""Kata 06 · The daemon trap · 守护进程的陷阱

THE STORY
Someone liked kata 05 a little too much. In this shop the diners are
daemons, so the program always ends, and the cooks no longer wait for their
buns to be eaten: each one puts its buns on the counter and goes home. Main
joins the cooks, announces that the shop is closed, and ends. With quick
diners it even seems to work. But the tests send in diners who take their
time over every bun, and at the moment main ends, every daemon is killed,
even in the middle of a bun. Buns are left on the counter, or half eaten.

THE GOAL
Every bun is eaten exactly once before main ends; the diners stay daemons
and leave with main, and the program ends by itself.

WHAT IS BROKEN
Run `pytest` and you will see LOST: some buns were never eaten. When the
cooks are done, the buns are on the counter, not in the diners' stomachs.

THE CONTRACT (the tests call these; keep the names and parameters)
    open_shop(shop)        main: starts shop.cooks cooks and shop.diners
                           daemon diners, and ends only when every bun is
                           eaten
    cook(counter, shop)    puts every bun of shop.buns() on the counter
    diner(counter, shop)   takes buns off the counter, calls shop.eat(bun)
                           and then counter.task_done() for each of them
The tests choose how many cooks and diners there are, and how fast they
work: always use shop.cooks and shop.diners. Only the cooks make buns.

RUN JUST THIS KATA
    pytest --kata 06                       every test, under every start method
    python katas/06_daemon_loses_work.py   one run, and its report

------------------------------------------------------------------------
故事
有人太喜欢第 05 题了。这家店里的食客都是守护进程，所以程序总能结束；厨师们也不再等自己的包子被吃完：
把包子放到柜台上就回家。main join 完厨师，宣布关门，然后结束。遇到吃得快的食客，这看起来甚至没问题。
可是测试会派来细嚼慢咽的食客；main 一结束，所有守护进程都会被杀掉，哪怕包子只吃了一半。
包子有的还留在柜台上，有的只吃了一半。

目标
main 结束之前，每个包子都被吃掉，而且只吃一次；食客仍然是守护进程，随 main 一起离开；程序自己结束。

哪里坏了
运行 `pytest`，你会看到 LOST：有些包子从来没被吃掉。厨师做完了，只说明包子都在柜台上，
不说明包子都进了食客的肚子。

约定（测试会调用这些函数；名字和参数不要改）
    open_shop(shop)        main：启动 shop.cooks 位厨师和 shop.diners 位守护食客，
                           每个包子都吃完之后才结束
    cook(counter, shop)    把 shop.buns() 的每个包子放到柜台上
    diner(counter, shop)   从柜台上拿包子，每个包子先调用 shop.eat(bun)，再调用 counter.task_done()
厨师和食客的人数、干活的快慢，都由测试决定：一定要用 shop.cooks 和 shop.diners。只有厨师做包子。

只运行这个练习
    pytest --kata 06                       全部测试，每一种启动方式
    python katas/06_daemon_loses_work.py   运行一次，看它的报告
"""
import multiprocessing


def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)


def diner(counter, shop):
    while True:
        bun = counter.get()
        shop.eat(bun)
        counter.task_done()


def open_shop(shop):
    counter = multiprocessing.JoinableQueue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    diners = [multiprocessing.Process(target=diner, args=(counter, shop), daemon=True) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    # TODO: the cooks are done, but are the buns eaten? Wait for that before main ends. (厨师做完了，可包子吃完了吗？main 结束之前要等到这一点。)
    print("Every bun is eaten. The shop is closed.")


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
